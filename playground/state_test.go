package playground

import (
	"reflect"
	"strings"
	"testing"
)

func TestParseStateDefaults(t *testing.T) {
	for _, hash := range []string{"", "#", "#unknown=1&also=2"} {
		st, warnings := ParseState(hash)
		if !reflect.DeepEqual(st, DefaultState()) || len(warnings) != 0 {
			t.Errorf("ParseState(%q) = %+v, %q; want the defaults, no warnings", hash, st, warnings)
		}
	}
}

func TestParseStateRoundTrip(t *testing.T) {
	hash := "dataset=spiral&features=x1,x2,x1sq,x2sq,x1x2,sinx1,sinx2&hidden=8,8&activation=relu&lr=0.003&batch=25" +
		"&noise=35&ratio=70&seed=4000000000&reg=l1&regrate=0.01&problem=classification&optimizer=adam&classes=3&loss=cross-entropy&samples=900"
	st, warnings := ParseState("#" + hash)
	if len(warnings) != 0 {
		t.Fatalf("warnings %q", warnings)
	}
	want := State{
		Dataset: "spiral", Features: FeatureNames, Hidden: []int{8, 8}, Activation: "relu", LR: 0.003, Batch: 25,
		Noise: 35, Ratio: 70, Seed: 4000000000, Reg: "l1", RegRate: 0.01, Problem: "classification",
		Optimizer: "adam", Classes: 3, Loss: "cross-entropy", Samples: 900,
	}
	if !reflect.DeepEqual(st, want) {
		t.Fatalf("ParseState = %+v; want %+v", st, want)
	}
	if got := st.Encode(); got != hash {
		t.Errorf("Encode = %q; want %q", got, hash)
	}
	if again, _ := ParseState(DefaultState().Encode()); !reflect.DeepEqual(again, DefaultState()) {
		t.Errorf("the default state does not round-trip: %+v", again)
	}
}

func TestParseStateBadValues(t *testing.T) {
	for _, tt := range []struct {
		hash, warning string
		check         func(State) bool
	}{
		{"dataset=moons", `dataset: "moons" is not one of`, func(s State) bool { return s.Dataset == "circle" }},
		{"features=x1,x3", `features: "x1,x3"`, func(s State) bool { return len(s.Features) == 2 }},
		{"features=", `features: ""`, func(s State) bool { return len(s.Features) == 2 }},
		{"hidden=4,0", `hidden: "4,0"`, func(s State) bool { return reflect.DeepEqual(s.Hidden, []int{4, 2}) }},
		{"hidden=1,1,1,1,1,1,1", "hidden:", func(s State) bool { return len(s.Hidden) == 2 }},
		{"activation=gelu", "activation:", func(s State) bool { return s.Activation == "tanh" }},
		{"lr=0", `lr: "0" is not a number > 0; using 0.03`, func(s State) bool { return s.LR == 0.03 }},
		{"lr=NaN", "lr:", func(s State) bool { return s.LR == 0.03 }},
		{"regrate=-1", "regrate:", func(s State) bool { return s.RegRate == 0 }},
		{"batch=0", "batch: \"0\" is not an integer in 1..500", func(s State) bool { return s.Batch == 10 }},
		{"noise=60", "noise:", func(s State) bool { return s.Noise == 0 }},
		{"ratio=5", "ratio:", func(s State) bool { return s.Ratio == 50 }},
		{"seed=-1", "seed:", func(s State) bool { return s.Seed == 1 }},
		{"seed=4294967296", "seed:", func(s State) bool { return s.Seed == 1 }},
		{"reg=l3", "reg:", func(s State) bool { return s.Reg == "none" }},
		{"optimizer=lbfgs", "optimizer:", func(s State) bool { return s.Optimizer == "sgd" }},
		{"dataset=plane&problem=classification", "problem: plane is a regression dataset", func(s State) bool { return s.Problem == "regression" }},
		{"dataset=xor&classes=3", "classes: only spiral", func(s State) bool { return s.Classes == 2 }},
		{"%zz", "not key=value", func(s State) bool { return s.Dataset == "circle" }},
	} {
		st, warnings := ParseState(tt.hash)
		if len(warnings) != 1 || !strings.Contains(warnings[0], tt.warning) {
			t.Errorf("ParseState(%q) warns %q; want one warning containing %q", tt.hash, warnings, tt.warning)
		}
		if !tt.check(st) {
			t.Errorf("ParseState(%q) = %+v: the bad value did not fall back to the default", tt.hash, st)
		}
	}
	// No hidden layer at all is a state, not a mistake.
	if st, w := ParseState("hidden="); len(st.Hidden) != 0 || len(w) != 0 {
		t.Errorf("hidden=: %v, %q", st.Hidden, w)
	}
	// A regression dataset brings its problem along without a warning.
	if st, w := ParseState("dataset=multigauss"); st.Problem != "regression" || len(w) != 0 {
		t.Errorf("dataset=multigauss: problem %s, %q", st.Problem, w)
	}
}
