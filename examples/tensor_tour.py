"""A tour of tensors, in the style of the beginner tutorials: creation, attributes, indexing, joining,
arithmetic, reductions, broadcasting, in-place ops and the numpy bridge."""

import numpy as np
import torch

torch.manual_seed(42)

data = [[1, 2], [3, 4]]
x_data = torch.tensor(data)
x_np = torch.from_numpy(np.array(data))
x_ones = torch.ones_like(x_data)
x_rand = torch.rand_like(x_data, dtype=torch.float)
print(f"Ones Tensor:\n{x_ones}\n")
print(f"Random Tensor:\n{x_rand}\n")

shape = (2, 3)
for name, t in [("Random", torch.rand(shape)), ("Ones", torch.ones(shape)), ("Zeros", torch.zeros(shape))]:
    print(f"{name} Tensor:\n{t}\n")

tensor = torch.rand(3, 4)
print(f"Shape of tensor: {tensor.shape}")
print(f"Datatype of tensor: {tensor.dtype}")
print(f"Device tensor is stored on: {tensor.device}")

tensor = torch.ones(4, 4)
print(f"First row: {tensor[0]}")
print(f"First column: {tensor[:, 0]}")
print(f"Last column: {tensor[..., -1]}")
tensor[:, 1] = 0
print(tensor)

t1 = torch.cat([tensor, tensor, tensor], dim=1)
print(t1)
print(torch.stack([x_data, x_np]).shape)

y1 = tensor @ tensor.T
y2 = tensor.matmul(tensor.T)
y3 = torch.rand_like(y1)
torch.matmul(tensor, tensor.T, out=y3)
print(y1, torch.equal(y1, y2), torch.allclose(y2, y3))

z1 = tensor * tensor
z2 = tensor.mul(tensor)
print(z1, torch.equal(z1, z2))

agg = tensor.sum()
agg_item = agg.item()
print(agg_item, type(agg_item))
print(tensor.mean(dim=0), tensor.max(), tensor.argmax(dim=1), tensor.std())

print(f"{tensor} \n")
tensor.add_(5)
print(tensor)

a = torch.arange(6).reshape(2, 3)
b = torch.tensor([10, 20, 30])
print(a + b, (a + b).dtype, a / 2, a // 2, a % 4, a.float() ** 0.5)
print(a > 2, torch.where(a > 2, a, -a), a[a > 2])

t = torch.ones(5)
n = t.numpy()
t.add_(1)
print(f"t: {t}\nn: {n}")
n = np.ones(5)
t = torch.from_numpy(n)
np.add(n, 1, out=n)
print(f"t: {t}\nn: {n}")

x = torch.linspace(0, 1, 5, dtype=torch.float64)
print(x, x.unsqueeze(0).shape, x.view(5, 1).squeeze().shape, x.flip(0), x.cumsum(0))
print(torch.randint(0, 10, (3, 3)), torch.randperm(6), torch.randn(2, 2, dtype=torch.float64))
