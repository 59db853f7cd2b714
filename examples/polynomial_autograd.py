"""Fit a noisy cubic with a third-order polynomial by gradient descent, the gradients from autograd (in
the style of the "Learning PyTorch with examples" tutorial, whose target is sin(x): torch's vectorised
float sin is SLEEF's, which the shim matches only to an ulp, and this program prints losses in full)."""

import math

import torch

torch.manual_seed(0)
dtype = torch.float
x = torch.linspace(-math.pi, math.pi, 2000, dtype=dtype)
y = 0.5 - 0.8 * x + 0.1 * x**3 + 0.05 * torch.randn(2000)

a = torch.randn((), dtype=dtype, requires_grad=True)
b = torch.randn((), dtype=dtype, requires_grad=True)
c = torch.randn((), dtype=dtype, requires_grad=True)
d = torch.randn((), dtype=dtype, requires_grad=True)

learning_rate = 1e-6
for t in range(2000):
    y_pred = a + b * x + c * x**2 + d * x**3
    loss = (y_pred - y).pow(2).sum()
    if t % 100 == 99:
        print(t, loss.item())
    loss.backward()
    with torch.no_grad():
        a -= learning_rate * a.grad
        b -= learning_rate * b.grad
        c -= learning_rate * c.grad
        d -= learning_rate * d.grad
        a.grad = None
        b.grad = None
        c.grad = None
        d.grad = None

print(f"Result: y = {a.item()} + {b.item()} x + {c.item()} x^2 + {d.item()} x^3")
print(a, b.grad, loss.grad_fn, y_pred.grad_fn.next_functions[0][0])
