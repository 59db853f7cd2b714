"""torch.nn on the shim, without torch: expected values checked against torch 2.13 (see each comment)."""

from __future__ import annotations

import pytest

import shim
import shim.nn as nn


def test_linear_initialises_from_the_seed_as_torch_does():
    # (checked against torch 2.13) kaiming_uniform_(a=sqrt(5)) for the weight, then the bias: two draws
    shim.manual_seed(0)
    weight = nn.Linear(3, 4).weight
    assert [round(v, 4) for v in weight[0].tolist()] == [-0.0043, 0.3097, -0.4752]
    assert weight.grad_fn is None and weight.requires_grad and isinstance(weight, nn.Parameter)


def test_parameter_and_module_reprs():
    assert repr(nn.Parameter(shim.tensor([1.0, 2.0]))) == "Parameter containing:\ntensor([1., 2.], requires_grad=True)"
    layers = nn.ModuleList([nn.Linear(2, 2) for _ in range(3)] + [nn.ReLU()])
    assert repr(layers) == (
        "ModuleList(\n  (0-2): 3 x Linear(in_features=2, out_features=2, bias=True)\n  (3): ReLU()\n)"
    )
    params = nn.ParameterList([nn.Parameter(shim.zeros(2, 3))])
    assert repr(params) == "ParameterList(  (0): Parameter containing: [torch.float32 of size 2x3])"


def test_load_state_dict_reports_as_torch_does():
    model = nn.Sequential(nn.Linear(3, 4), nn.ReLU())
    with pytest.raises(RuntimeError) as error:
        model.load_state_dict({"0.weight": shim.zeros(4, 2)})
    assert str(error.value) == (
        'Error(s) in loading state_dict for Sequential:\n\tMissing key(s) in state_dict: "0.bias". \n\tsize '
        "mismatch for 0.weight: copying a param with shape torch.Size([4, 2]) from checkpoint, the shape in "
        "current model is torch.Size([4, 3])."
    )
    keys = model.load_state_dict({"0.weight": shim.zeros(4, 3), "0.bias": shim.zeros(4), "x": shim.zeros(1)}, False)
    assert repr(keys) == "_IncompatibleKeys(missing_keys=[], unexpected_keys=['x'])"
    assert model[0].weight.sum().item() == 0


def test_attribute_assignment_registers_and_checks():
    class Net(nn.Module):
        def __init__(self):
            super().__init__()
            self.fc = nn.Linear(2, 2)
            self.register_buffer("count", shim.zeros(1))
            self.scale = nn.Parameter(shim.ones(1))

        def forward(self, x):
            return self.fc(x) * self.scale

    net = Net()
    assert [n for n, _ in net.named_parameters()] == ["scale", "fc.weight", "fc.bias"]
    assert list(net.state_dict()) == ["scale", "count", "fc.weight", "fc.bias"]
    with pytest.raises(TypeError, match=r"cannot assign 'torch.FloatTensor' as parameter 'scale'"):
        net.scale = shim.ones(1)
    with pytest.raises(AttributeError, match="'Net' object has no attribute 'missing'"):
        net.missing  # noqa: B018
    with pytest.raises(NotImplementedError, match=r'Module \[Module\] is missing the required "forward" function'):
        nn.Module()(1)


def test_cross_entropy_is_nll_of_log_softmax_with_torchs_nodes():
    x = shim.tensor([[1.0, 2.0, 0.5], [0.1, -1.0, 2.0]], requires_grad=True)
    loss = nn.CrossEntropyLoss()(x, shim.tensor([1, 2]))
    assert loss.grad_fn.name() == "NllLossBackward0"
    assert loss.grad_fn.next_functions[0][0].name() == "LogSoftmaxBackward0"
    loss.backward()
    assert abs(x.grad.sum().item()) < 1e-7  # each row of softmax - onehot sums to zero
    with pytest.raises(IndexError, match="Target 3 is out of bounds."):
        nn.functional.nll_loss(x, shim.tensor([3, 0]))


def test_dropout_draws_its_mask_with_bernoulli():
    shim.manual_seed(0)
    mask = shim.empty(4).bernoulli_(0.5)
    shim.manual_seed(0)
    out = nn.functional.dropout(shim.ones(4), 0.5)
    assert out.tolist() == (mask * 2).tolist()
    x = shim.ones(3)
    assert nn.functional.dropout(x, training=False) is x
