//go:build js && wasm

// Command wasm is jobkit's core compiled to WebAssembly for the browser
// editor. It is the only package that imports syscall/js. It runs inside a
// Web Worker (web/worker.js) and publishes one object:
//
//	globalThis.jobkit = {
//	  version: "v1.2.3",                      // bridge.Version
//	  call(method: string, params: string, text?: string): string
//	}
//
// call takes JSON parameters and returns a JSON envelope, {"ok": …} or
// {"error": "…"}. The document text may come as a third argument instead of
// params.text, which spares decoding a large JSON string in Go.
//
// Methods and their JSON are documented in package bridge and docs/editor.md.
package main

import (
	"syscall/js"

	"github.com/jobkit-dev/jobkit/wasm/bridge"
)

func main() {
	js.Global().Set("jobkit", api())
	select {} // keep the Go program alive so callbacks keep working
}

// api builds the object published as globalThis.jobkit.
func api() js.Value {
	call := js.FuncOf(func(this js.Value, args []js.Value) any {
		if len(args) < 1 || args[0].Type() != js.TypeString {
			return string(bridge.Call("", nil))
		}
		var params []byte
		if len(args) > 1 && args[1].Type() == js.TypeString {
			params = []byte(args[1].String())
		}
		if len(args) > 2 && args[2].Type() == js.TypeString {
			return string(bridge.CallText(args[0].String(), params, args[2].String()))
		}
		return string(bridge.Call(args[0].String(), params))
	})
	obj := js.Global().Get("Object").New()
	obj.Set("version", bridge.Version)
	obj.Set("call", call)
	return obj
}
