package literal

import "testing"

func BenchmarkFind(b *testing.B) {
	s := "python train.py --data %%ops.prep.results.path%% --model %%global.variables.MODEL%% --out /out --job %%globals.job%%"
	b.ReportAllocs()
	for b.Loop() {
		if len(Find(s)) != 3 {
			b.Fatal("want 3 literals")
		}
	}
}

func BenchmarkFindPlain(b *testing.B) {
	s := "python train.py --data /data --model llama --out /out --epochs 3"
	b.ReportAllocs()
	for b.Loop() {
		Find(s)
	}
}

func BenchmarkParse(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Parse("%%ops.train.results.loss%%"); err != nil {
			b.Fatal(err)
		}
	}
}
