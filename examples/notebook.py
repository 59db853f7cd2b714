"""The user's notebook (../shared/seed/notebook.txt), cell by cell, as a program: each cell's displayed
value is printed.  Runs unchanged on torch and on the shim (`python -m shim examples/notebook.py`)."""

import numpy as np
import torch

torch.manual_seed(0)

# In [104]: 빈 텐서 생성 (uninitialised memory: only its shape and dtype are defined)
x = torch.empty(3, 4)
print(x.shape, x.dtype)

# In [105]: 랜덤 텐서
x = torch.rand(3, 4)
print(x)

# In [106], [107]
print(torch.zeros(3, 4, dtype=torch.long))
print(torch.ones(3, 4, dtype=torch.long))

# In [108]
print(np.array([3.4, 3, 2.1]))
print(torch.tensor([3.4, 3, 2.1]))

# In [109]: 기존의 텐서를 기반으로 새로운 텐서 생성
x = torch.ones(3, 4)
print(torch.randn_like(x, dtype=torch.float))

# In [110] - [112]
x = torch.randn(3, 4)
y = torch.randn(3, 4)
print((x, y, x + y))
print(torch.add(x, y))  # x + y 와 동일
print(y.add_(x))  # in-place  y = y + x

# In [113]: 행렬의 곱셈
x = torch.randn(3, 4)
y = torch.randn(4, 5)
print((x, y, torch.mm(x, y), x @ y))

# In [114]: 슬라이싱 가능
x = torch.randn(4, 5)
print((x[1, 1], x[1, 1].item(), type(x[1, 1]), type(x[1, 1].item())))

# In [115]: view / size
print(x.view(-1, 10), x.size(), x.view(-1, 10).size())

# In [116], [117]: 텐서 <-> 넘파이
a = torch.ones(5)
print(repr(a.numpy()))
b = np.array([1, 2, 3, 4, 5])
print(torch.from_numpy(b))

# In [118]: GPU 사용
if torch.cuda.is_available():
    device = torch.device("cuda")
    x = torch.ones(5, device=device)
    y = torch.ones(5)
    y = y.to(device)
    z = x + y
    print(f"GPU 연산 결과: {z}")
    print(f"다시 CPU로 이동: {z.to('cpu', torch.double)}")
else:
    print("GPU 사용 불가")
    device = torch.device("cpu")

# In [121], [122]: 자동 미분
x = torch.ones(2, 2, requires_grad=True)
print((x, x.size()))
y = x + 2
print(y, y.grad_fn)
z = y * y * 3
out = z.mean()
print((z, out))

# In [123]
out.backward()
print(x.grad)

# In [128]: 벡터에 대한 역전파
x = torch.randn(3, requires_grad=True)
print(x)
y = x * 2
i = 0
while y.data.norm() < 1000:
    y = y * 2
    i += 1
print(f"y: {y}")
print(f"반복횟수 : {i}   y = x*2^i+1")
v = torch.tensor([0.1, 1.0, 0.0001], dtype=torch.float)
y.backward(v)
print(f"x.grad: {x.grad}")

# In [132]: 기울기 제어
with torch.no_grad():
    print(f"no_grad 내부 : {(x**2).requires_grad}")
print(f"detach 전 {y.requires_grad}")
y = x.detach()
print(f"detach 후 {y.requires_grad}")
