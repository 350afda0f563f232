package main

import (
	"fmt"
	"maps"
	"math"
	"slices"
	"strconv"
	"strings"
)

// classWeightValue is the value of train's --class-weight: "balanced",
// or LABEL=W pairs separated by commas.
type classWeightValue struct {
	balanced bool
	byLabel  map[string]float64 // nil unless given
}

func (v *classWeightValue) Set(s string) error {
	if strings.EqualFold(strings.TrimSpace(s), "balanced") {
		*v = classWeightValue{balanced: true}
		return nil
	}
	by := map[string]float64{}
	for _, pair := range strings.Split(s, ",") {
		label, w, ok := strings.Cut(pair, "=")
		label = strings.TrimSpace(label)
		if !ok || label == "" {
			return fmt.Errorf("%q is not balanced or LABEL=WEIGHT,... (e.g. yes=3,no=1)", s)
		}
		f, err := strconv.ParseFloat(strings.TrimSpace(w), 64)
		if err != nil || !(f >= 0 && f <= math.MaxFloat64) {
			return fmt.Errorf("class %q: weight %q is not a finite number ≥ 0", label, strings.TrimSpace(w))
		}
		if _, dup := by[label]; dup {
			return fmt.Errorf("class %q is given twice", label)
		}
		by[label] = f
	}
	*v = classWeightValue{byLabel: by}
	return nil
}

func (v *classWeightValue) String() string {
	switch {
	case v == nil:
		return ""
	case v.balanced:
		return "balanced"
	}
	var parts []string
	for _, l := range slices.Sorted(maps.Keys(v.byLabel)) {
		parts = append(parts, l+"="+strconv.FormatFloat(v.byLabel[l], 'g', -1, 64))
	}
	return strings.Join(parts, ",")
}

// given reports whether the flag asks for class weights.
func (v *classWeightValue) given() bool { return v.balanced || v.byLabel != nil }
