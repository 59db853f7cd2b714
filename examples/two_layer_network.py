"""A two-layer network trained with hand-written backpropagation: tensors only, no autograd for the
weights, then the same step checked against autograd.  Matrix products come from BLAS (numpy's in the
shim, torch's own in torch), whose summation orders differ in the last bits: values print rounded."""

import torch

torch.manual_seed(1)
N, D_in, H, D_out = 64, 100, 32, 10
x = torch.randn(N, D_in)
y = torch.randn(N, D_out)
w1 = torch.randn(D_in, H) * 0.1
w2 = torch.randn(H, D_out) * 0.1

learning_rate = 1e-3
for t in range(300):
    h = x.mm(w1)
    h_relu = h.clamp(min=0)
    y_pred = h_relu.mm(w2)
    loss = (y_pred - y).pow(2).sum().item()
    if t % 50 == 49:
        print(t, round(loss, 4))
    grad_y_pred = 2.0 * (y_pred - y)
    grad_w2 = h_relu.t().mm(grad_y_pred)
    grad_h_relu = grad_y_pred.mm(w2.t())
    grad_h = grad_h_relu.clone()
    grad_h[h < 0] = 0
    grad_w1 = x.t().mm(grad_h)
    w1 -= learning_rate * grad_w1
    w2 -= learning_rate * grad_w2

# the hand-written gradients agree with autograd's
w1a, w2a = w1.clone().requires_grad_(), w2.clone().requires_grad_()
loss = (x.mm(w1a).clamp(min=0).mm(w2a) - y).pow(2).sum()
loss.backward()
h = x.mm(w1)
grad_y_pred = 2.0 * (h.clamp(min=0).mm(w2) - y)
grad_h = grad_y_pred.mm(w2.t())
grad_h[h < 0] = 0
torch.testing.assert_close(w1a.grad, x.t().mm(grad_h))
print("hand-written gradients match autograd:", w1a.grad.shape, f"{w2a.grad.norm():.3f}")
print(w1[:2, :3], f"{w2.mean():.4f}", w2.dtype, f"{loss:.4f}", loss.grad_fn)
