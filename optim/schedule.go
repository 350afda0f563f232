package optim

import (
	"fmt"
	"math"
)

// Schedule gives the learning rate of an epoch, counted from 0.
type Schedule interface {
	LR(epoch int) float64
}

// ScheduleFunc adapts a function to a Schedule.
type ScheduleFunc func(epoch int) float64

// LR returns f(epoch).
func (f ScheduleFunc) LR(epoch int) float64 { return f(epoch) }

// Constant returns the schedule lr at every epoch.
func Constant(lr float64) Schedule {
	return ScheduleFunc(func(int) float64 { return lr })
}

// Step returns the schedule lr·γ^⌊epoch/stepSize⌋ of torch's StepLR. It
// panics if stepSize < 1.
func Step(lr float64, stepSize int, gamma float64) Schedule {
	if stepSize < 1 {
		panic(fmt.Sprintf("optim: Step: stepSize %d, want >= 1", stepSize))
	}
	return ScheduleFunc(func(epoch int) float64 {
		return lr * math.Pow(gamma, float64(epoch/stepSize))
	})
}

// Exponential returns the schedule lr·γ^epoch of torch's ExponentialLR.
func Exponential(lr, gamma float64) Schedule {
	return ScheduleFunc(func(epoch int) float64 {
		return lr * math.Pow(gamma, float64(epoch))
	})
}

// InverseTime returns the schedule lr/(1 + decay·epoch).
func InverseTime(lr, decay float64) Schedule {
	return ScheduleFunc(func(epoch int) float64 {
		return lr / (1 + decay*float64(epoch))
	})
}

// Cosine returns the closed form of torch's CosineAnnealingLR,
//
//	etaMin + (lr − etaMin)·(1 + cos(π·epoch/tMax))/2,
//
// which falls from lr at epoch 0 to etaMin at epoch tMax and, past tMax,
// rises again with period 2·tMax. It panics if tMax < 1.
func Cosine(lr float64, tMax int, etaMin float64) Schedule {
	if tMax < 1 {
		panic(fmt.Sprintf("optim: Cosine: tMax %d, want >= 1", tMax))
	}
	return ScheduleFunc(func(epoch int) float64 {
		return etaMin + (lr-etaMin)*(1+math.Cos(math.Pi*float64(epoch)/float64(tMax)))/2
	})
}
