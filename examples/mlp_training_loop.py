"""The MLP classifier trained as tutorials train it: a TensorDataset, a shuffling DataLoader, optim.SGD with
momentum, a StepLR schedule, then torch.save of the weights and torch.load back into a fresh model.
Shuffled batches, learning rates and the saved file's layout are the same as torch's; losses print rounded
(the matrix products come from numpy's BLAS in the shim, MKL's in torch).  The weights are saved to
mlp_weights.pt in the temporary directory (or to the path given as its argument): a file real torch loads."""

import sys
import tempfile
from pathlib import Path

import torch
import torch.nn as nn
from torch.utils.data import DataLoader, TensorDataset

torch.manual_seed(0)
n_per_class, n_classes = 40, 3
centers = torch.tensor([[2.0, 0.0], [-1.0, 1.7], [-1.0, -1.7]])
x = torch.cat([centers[c] + torch.randn(n_per_class, 2) for c in range(n_classes)])
y = torch.arange(n_classes).repeat_interleave(n_per_class)

loader = DataLoader(TensorDataset(x, y), batch_size=16, shuffle=True)
model = nn.Sequential(nn.Linear(2, 16), nn.ReLU(), nn.Linear(16, n_classes))
optimizer = torch.optim.SGD(model.parameters(), lr=0.1, momentum=0.9)
scheduler = torch.optim.lr_scheduler.StepLR(optimizer, step_size=4, gamma=0.5)
loss_fn = nn.CrossEntropyLoss()
print(optimizer)

for epoch in range(12):
    seen = []
    for batch_x, batch_y in loader:
        optimizer.zero_grad()
        loss = loss_fn(model(batch_x), batch_y)
        loss.backward()
        optimizer.step()
        seen.append(batch_y[0].item())
    scheduler.step()
    if epoch % 4 == 3:
        rate = scheduler.get_last_lr()[0]
        print(f"epoch {epoch + 1:2d}  loss {loss.item():.3f}  lr {rate:.4f}  first labels {seen[:6]}")

with torch.no_grad():
    accuracy = (model(x).argmax(1) == y).float().mean().item()
print(f"accuracy {accuracy:.2f}")
print("optimizer state:", {k: sorted(v) for k, v in optimizer.state_dict()["state"].items()})

path = Path(sys.argv[1]) if len(sys.argv) > 1 else Path(tempfile.gettempdir(), "mlp_weights.pt")
torch.save(model.state_dict(), path)
restored = nn.Sequential(nn.Linear(2, 16), nn.ReLU(), nn.Linear(16, n_classes))
print(restored.load_state_dict(torch.load(path)))
print("restored equals trained:", all(torch.equal(a, b) for a, b in zip(model.parameters(), restored.parameters())))
