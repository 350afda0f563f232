// Package optim holds the gradient-descent optimizers and learning-rate
// schedules of nerve.
//
// An optimizer updates a list of parameters in place from their gradients.
// A parameter is a Param: a Value tensor and the Grad tensor of the same
// size that the backward pass filled. Step reads every Grad and writes only
// every Value and the optimizer's own state.
//
// # State
//
// Optimizers with state (momentum buffers, running averages, step counts)
// keep one state entry per parameter, keyed by the parameter's index in the
// slice given to Step. The slice must therefore list the same tensors, with
// the same sizes, in the same order at every step. The state is allocated on
// the first Step; later steps allocate nothing. Step panics if the number of
// parameters or a parameter's size changes, or if a Value and its Grad differ
// in size: those are programmer errors.
//
// # Update formulas
//
// The formulas are those of PyTorch 1.13's single-tensor implementations
// (foreach=False, maximize=False), evaluated in the same order, elementwise,
// in the precision T of the tensors. Scalar coefficients (bias corrections,
// decayed learning rates) are computed in float64 and converted to T, as
// PyTorch converts Python scalars to the tensor's dtype. Each step is one
// pass over every parameter's elements; SGD and Adam run it in assembly
// where the CPU has AVX-512, with every operation rounded on its own as
// in the Go loop (no fused multiply-adds), so the results do not depend
// on the CPU, and split between threads for large parameters. Below, p is a
// parameter, g its gradient, t the step number starting at 1, lr the current
// learning rate and λ the weight decay.
//
// SGD (torch.optim.SGD), with momentum μ, dampening τ:
//
//	g ← g + λ·p
//	if μ ≠ 0:
//	    b ← g                      at t = 1
//	    b ← μ·b + (1−τ)·g          at t > 1
//	    g ← g + μ·b   if Nesterov, else g ← b
//	p ← p − lr·g
//
// RMSProp (torch.optim.RMSprop), with smoothing α, ε and momentum μ:
//
//	g ← g + λ·p
//	s ← α·s + (1−α)·g²                              s starts at 0
//	if centered: a ← α·a + (1−α)·g;  d ← √(s − a²) + ε   a starts at 0
//	else:        d ← √s + ε
//	if μ > 0: b ← μ·b + g/d;  p ← p − lr·b           b starts at 0
//	else:     p ← p − lr·(g/d)
//
// AdaGrad (torch.optim.Adagrad), with learning-rate decay η and initial
// accumulator value s₀:
//
//	g ← g + λ·p
//	clr = lr / (1 + (t−1)·η)
//	s ← s + g²                                       s starts at s₀
//	p ← p − clr·(g / (√s + ε))
//
// Adam (torch.optim.Adam), with β₁, β₂, ε; weight decay is an L2 penalty
// added to the gradient:
//
//	g ← g + λ·p
//	m ← β₁·m + (1−β₁)·g                              m, v start at 0
//	v ← β₂·v + (1−β₂)·g²
//	bc₁ = 1 − β₁ᵗ;  bc₂ = 1 − β₂ᵗ;  step = lr / bc₁
//	if AMSGrad: v̂ ← max(v̂, v), else v̂ = v            v̂ starts at 0
//	p ← p − step·(m / (√v̂/√bc₂ + ε))
//
// AdamW (torch.optim.AdamW) is Adam with the weight decay decoupled from the
// gradient: before the moments are updated,
//
//	p ← p·(1 − lr·λ)
//
// and g is used unchanged.
//
// # Learning-rate schedules
//
// A Schedule maps an epoch, counted from 0, to a learning rate, in the
// closed forms of torch.optim.lr_scheduler: Constant, Step (StepLR),
// Exponential (ExponentialLR), InverseTime (LambdaLR with 1/(1+d·epoch)) and
// Cosine (CosineAnnealingLR). A training loop applies one with
// opt.SetLR(s.LR(epoch)) at the start of each epoch.
package optim
