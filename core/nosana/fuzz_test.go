package nosana

import "testing"

// FuzzDecode: Decode and every effective-value method never panic.
func FuzzDecode(f *testing.F) {
	for _, s := range []string{
		`{"version":"0.1","type":"container","ops":[{"id":"a","type":"container/run","args":{"image":"x","cmd":"c","expose":[1,{"port":2}],"resources":[{"type":"S3","target":"/t"}]}}]}`,
		`{"ops":[{"id":"v","type":"container/create-volume","args":{"name":"n"}}],"global":{"entrypoint":"e"},"meta":{"system_requirements":{"required_vram":"x"}}}`,
		`{"ops":[{"id":"a","args":{"expose":"%%ops.b.results.p%%","restart_policy":{"policy":"on-failure"},"aliases":"a,b"},"results":{"k":{"regex":"r"}}}]}`,
		`[]`, `null`, `{"ops":[null]}`,
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		j, err := Decode(b)
		if err != nil {
			return
		}
		_ = j.RequiredVRAM()
		_ = j.Groups()
		_ = j.Variables()
		for _, op := range j.Ops {
			_, _, _, _, _ = op.GPU(), op.Image(), op.Entrypoint(), op.WorkDir(), op.Command()
			_, _, _ = op.EnvList("x"), op.ExposedPorts(), op.DependsOn()
			for _, r := range func() []Resource {
				if op.Run == nil {
					return nil
				}
				return op.Run.Resources
			}() {
				_, _ = r.Target(), r.Writable()
			}
		}
	})
}
