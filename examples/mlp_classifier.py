"""A small MLP classifier on generated data: nn.Sequential, nn.CrossEntropyLoss and a hand-written SGD step.
The parameters start bit-identical to torch's (same seed, same draws); the matrix products come from BLAS
(numpy's in the shim, MKL's in torch), whose summation orders differ in the last bits, so values print
rounded."""

import torch
import torch.nn as nn

torch.manual_seed(0)
n_per_class, n_classes = 40, 3
centers = torch.tensor([[2.0, 0.0], [-1.0, 1.7], [-1.0, -1.7]])
x = torch.cat([centers[c] + 1.0 * torch.randn(n_per_class, 2) for c in range(n_classes)])
y = torch.arange(n_classes).repeat_interleave(n_per_class)

model = nn.Sequential(nn.Linear(2, 16), nn.ReLU(), nn.Linear(16, 16), nn.Tanh(), nn.Linear(16, n_classes))
print(model)
print("first weights:", model[0].weight[:2])
loss_fn = nn.CrossEntropyLoss()
print("parameters:", sum(p.numel() for p in model.parameters()))

learning_rate = 0.2
for epoch in range(60):
    logits = model(x)
    loss = loss_fn(logits, y)
    model.zero_grad()
    loss.backward()
    with torch.no_grad():
        for p in model.parameters():
            p -= learning_rate * p.grad
    if epoch % 10 == 9:
        accuracy = (logits.argmax(1) == y).float().mean().item()
        print(f"epoch {epoch + 1:3d}  loss {loss.item():.4f}  accuracy {accuracy:.3f}")

model.eval()
with torch.no_grad():
    probabilities = model(torch.tensor([[2.0, 0.1], [-1.2, 1.5]])).softmax(dim=1)
print("predictions:", probabilities.argmax(1).tolist())
print("state_dict keys:", list(model.state_dict()))
print(loss.grad_fn, loss.grad_fn.next_functions[0][0])
