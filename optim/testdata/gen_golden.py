#!/usr/bin/python3
"""Generate golden.json: PyTorch 1.13 reference runs for nerve's package optim.

Run from this directory with the system Python and python3-torch 1.13:

    /usr/bin/python3 gen_golden.py

Everything is float64 (torch.set_default_dtype(torch.float64)) and nothing is
random, so optim_test.go rebuilds the same problem in Go:

  * Two parameters, shapes (3, 4) and (1, 4). Element k (row-major) of
    parameter t starts at ((7k + 3t) mod 11 - 5) / 5.
  * Before step s (s = 1..STEPS) the gradient of element k of parameter t is
    set by hand to
        2 (p - target) + 0.1 sin(s + 13 t + k),   target = 0.25 (t + 1) - 0.05 k,
    the gradient of a quadratic with a wobble, computed in Python floats.
  * Each optimizer configuration runs STEPS steps with foreach=False, the
    single-tensor code path that package optim mirrors.

For the learning-rate schedules, an SGD optimizer with lr = BASE_LR is driven
by StepLR, ExponentialLR, CosineAnnealingLR and LambdaLR (for inverse-time
decay) and the learning rate of epochs 0..20 is recorded.

Floats are written with repr, so they round-trip exactly.
"""
import json
import math

import torch

torch.set_default_dtype(torch.float64)

STEPS = 50
SHAPES = [(3, 4), (1, 4)]
BASE_LR = 0.1
EPOCHS = 21


def initial(t, k):
    return ((7 * k + 3 * t) % 11 - 5) / 5


def target(t, k):
    return 0.25 * (t + 1) - 0.05 * k


def grad(s, t, k, p):
    return 2 * (p - target(t, k)) + 0.1 * math.sin(s + 13 * t + k)


def make_params():
    params = []
    for t, (r, c) in enumerate(SHAPES):
        vals = [initial(t, k) for k in range(r * c)]
        params.append(torch.tensor(vals).reshape(r, c).requires_grad_(True))
    return params


def run(make_opt):
    params = make_params()
    opt = make_opt(params)
    for s in range(1, STEPS + 1):
        for t, p in enumerate(params):
            flat = p.detach().reshape(-1).tolist()
            g = [grad(s, t, k, v) for k, v in enumerate(flat)]
            p.grad = torch.tensor(g).reshape(p.shape)
        opt.step()
    return [p.detach().reshape(-1).tolist() for p in params]


# name -> optimizer factory; the names are the keys optim_test.go looks up.
RUNS = {
    "sgd": lambda ps: torch.optim.SGD(ps, lr=0.05, foreach=False),
    "sgd_momentum": lambda ps: torch.optim.SGD(ps, lr=0.05, momentum=0.9, foreach=False),
    "sgd_nesterov": lambda ps: torch.optim.SGD(ps, lr=0.05, momentum=0.9, nesterov=True, foreach=False),
    "sgd_wd_dampening": lambda ps: torch.optim.SGD(
        ps, lr=0.05, momentum=0.8, dampening=0.3, weight_decay=0.01, foreach=False),
    "rmsprop": lambda ps: torch.optim.RMSprop(ps, lr=0.01, foreach=False),
    "rmsprop_centered_momentum": lambda ps: torch.optim.RMSprop(
        ps, lr=0.01, alpha=0.9, momentum=0.5, centered=True, weight_decay=0.01, foreach=False),
    "adagrad_lr_decay": lambda ps: torch.optim.Adagrad(
        ps, lr=0.1, lr_decay=0.01, weight_decay=0.01, initial_accumulator_value=0.1, foreach=False),
    "adam": lambda ps: torch.optim.Adam(ps, lr=0.01, foreach=False),
    "adam_amsgrad": lambda ps: torch.optim.Adam(ps, lr=0.01, betas=(0.8, 0.99), amsgrad=True, foreach=False),
    "adam_weight_decay": lambda ps: torch.optim.Adam(ps, lr=0.01, weight_decay=0.1, foreach=False),
    "adamw": lambda ps: torch.optim.AdamW(ps, lr=0.01, foreach=False),
}

SCHEDULES = {
    "step": lambda o: torch.optim.lr_scheduler.StepLR(o, step_size=3, gamma=0.5),
    "exponential": lambda o: torch.optim.lr_scheduler.ExponentialLR(o, gamma=0.9),
    "cosine": lambda o: torch.optim.lr_scheduler.CosineAnnealingLR(o, T_max=10, eta_min=0.001),
    "inverse_time": lambda o: torch.optim.lr_scheduler.LambdaLR(o, lambda e: 1 / (1 + 0.5 * e)),
}


def schedule(make_sched):
    p = torch.zeros(1, requires_grad=True)
    opt = torch.optim.SGD([p], lr=BASE_LR)
    sched = make_sched(opt)
    lrs = []
    for _ in range(EPOCHS):
        lrs.append(opt.param_groups[0]["lr"])
        opt.step()
        sched.step()
    return lrs


def main():
    out = {
        "torch_version": torch.__version__,
        "steps": STEPS,
        "runs": {name: run(f) for name, f in RUNS.items()},
        "schedules": {name: schedule(f) for name, f in SCHEDULES.items()},
    }
    with open("golden.json", "w") as f:
        json.dump(out, f, indent=1)
        f.write("\n")


if __name__ == "__main__":
    main()
