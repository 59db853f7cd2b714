"""RNN (tanh, relu), LSTM and GRU: torch 2.13's parameters (names, layout, uniform(-1/sqrt(hidden),
1/sqrt(hidden)) in registration order), argument checks and reprs; the forward is ATen's CPU composite
(RNN.cpp), step by step in registered ops, so grad_fn names and gradients come from the one dispatch:

    every step's input projection at once, linear(input, w_ih, b_ih), then per time step
    tanh / relu:  h = act(linear(h, w_hh, b_hh) + x_t)
    LSTM:         gates = linear(h, w_hh, b_hh) + x_t;  i, f, g, o = gates.chunk(4, 1)
                  c = sigmoid(f) * c + sigmoid(i) * tanh(g);  h = sigmoid(o) * tanh(c)
    GRU:          r, z, n from x_t and linear(h, w_hh, b_hh) in thirds;
                  r = sigmoid(h_r + x_r), z = sigmoid(h_z + x_z), n = tanh(x_n + h_n * r), in place on the pieces;
                  h = (h - n) * z + n
    outputs stacked over time; a reverse direction runs on the reversed steps, its outputs concatenated on
    the last dim; dropout between layers when training.

A float LSTM's layers are oneDNN kernels in torch (node MkldnnRnnLayerBackward0), reproduced here by the same
composite under a node of that name: its values agree with torch's within tolerance (oneDNN has its own
order).  The others follow torch's composite op for op, so they are bit-identical where the shim's products
and float math are (measured: float32 RNN in each configuration, GRU of one layer; GRU with 5-7 rows of a
product split off MKL's blocks, and double's Sleef lanes, within tolerance)."""

from __future__ import annotations

import math
import numbers
import warnings

import shim as torch

from ..._dispatch import needs_grad, record
from ..._ops.elementwise import formula
from ..._tensor import make
from .. import functional as F
from .. import init
from ..parameter import Parameter
from .module import Module

__all__ = ["RNNBase", "RNN", "LSTM", "GRU"]

_GATES = {"RNN_TANH": 1, "RNN_RELU": 1, "LSTM": 4, "GRU": 3}


class RNNBase(Module):
    def __init__(self, mode: str, input_size: int, hidden_size: int, num_layers: int = 1, bias: bool = True,
                 batch_first: bool = False, dropout: float = 0.0, bidirectional: bool = False, proj_size: int = 0,
                 device=None, dtype=None) -> None:  # fmt: skip
        super().__init__()
        self.mode = mode
        self.input_size = input_size
        self.hidden_size = hidden_size
        self.num_layers = num_layers
        self.bias = bias
        self.batch_first = batch_first
        self.dropout = float(dropout)
        self.bidirectional = bidirectional
        self.proj_size = proj_size
        if not isinstance(dropout, numbers.Number) or not 0 <= dropout <= 1 or isinstance(dropout, bool):
            raise ValueError(
                "dropout should be a number in range [0, 1] representing the probability of an element being zeroed"
            )
        if dropout > 0 and num_layers == 1:
            warnings.warn(
                "dropout option adds dropout after all but last recurrent layer, so non-zero dropout expects "
                f"num_layers greater than 1, but got dropout={dropout} and num_layers={num_layers}",
                stacklevel=2,
            )
        for name, value in (("bias", bias), ("batch_first", batch_first)):
            if not isinstance(value, bool):
                raise TypeError(f"{name} should be of type bool, got: {type(value).__name__}")
        for name, value in (("input_size", input_size), ("hidden_size", hidden_size)):
            if not isinstance(value, int):
                raise TypeError(f"{name} should be of type int, got: {type(value).__name__}")
            if value <= 0:
                raise ValueError(f"{name} must be greater than zero")
        if num_layers <= 0:
            raise ValueError("num_layers must be greater than zero")
        if proj_size != 0:
            raise NotImplementedError("LSTM(proj_size > 0) is not implemented by the shim")
        gate_size = _GATES[mode] * hidden_size
        directions = 2 if bidirectional else 1
        self._flat_weights_names = []
        for layer in range(num_layers):
            for direction in range(directions):
                layer_input = input_size if layer == 0 else hidden_size * directions
                suffix = "_reverse" if direction == 1 else ""
                shapes = [("weight_ih", (gate_size, layer_input)), ("weight_hh", (gate_size, hidden_size))]
                if bias:
                    shapes += [("bias_ih", (gate_size,)), ("bias_hh", (gate_size,))]
                for name, shape in shapes:
                    full = f"{name}_l{layer}{suffix}"
                    setattr(self, full, Parameter(torch.empty(shape, device=device, dtype=dtype)))
                    self._flat_weights_names.append(full)
        self.reset_parameters()

    @property
    def _flat_weights(self) -> list:
        return [getattr(self, name) for name in self._flat_weights_names]

    @property
    def all_weights(self) -> list:
        per = 4 if self.bias else 2
        weights = self._flat_weights
        return [weights[i : i + per] for i in range(0, len(weights), per)]

    def flatten_parameters(self) -> None:
        """A no-op on the CPU, as in torch."""

    def reset_parameters(self) -> None:
        stdv = 1.0 / math.sqrt(self.hidden_size) if self.hidden_size > 0 else 0
        for weight in self.parameters():
            init.uniform_(weight, -stdv, stdv)

    def extra_repr(self) -> str:
        s = "{input_size}, {hidden_size}"
        if self.num_layers != 1:
            s += ", num_layers={num_layers}"
        if self.bias is not True:
            s += ", bias={bias}"
        if self.batch_first is not False:
            s += ", batch_first={batch_first}"
        if self.dropout != 0:
            s += ", dropout={dropout}"
        if self.bidirectional is not False:
            s += ", bidirectional={bidirectional}"
        return s.format(**self.__dict__)

    # -- checks ----------------------------------------------------------------------------------------------
    def check_input(self, input) -> None:
        weight_dtype = self._flat_weights[0].dtype
        if input.dtype != weight_dtype:
            raise ValueError(
                f"RNN input dtype ({input.dtype}) does not match weight dtype ({weight_dtype}). Convert input: "
                f"input.to({weight_dtype}), or convert model: model.to({input.dtype})"
            )
        if input.dim() != 3:
            raise RuntimeError(f"input must have 3 dimensions, got {input.dim()}")
        if self.input_size != input.size(-1):
            raise RuntimeError(
                f"input.size(-1) must be equal to input_size. Expected {self.input_size}, got {input.size(-1)}"
            )

    def _expected_hidden(self, input) -> tuple:
        batch = input.size(0) if self.batch_first else input.size(1)
        return (self.num_layers * (2 if self.bidirectional else 1), batch, self.hidden_size)

    @staticmethod
    def _check_hidden(hx, expected, msg: str = "Expected hidden size {}, got {}") -> None:
        if tuple(hx.size()) != expected:
            raise RuntimeError(msg.format(expected, list(hx.size())))

    def _batched(self, name: str, input, hx, count: int):
        """The input made 3-D and the initial states (zeros, or hx checked and made 3-D)."""
        if input.dim() not in (2, 3):
            got = f"got {input.dim()}D tensor instead" if name == "RNN" else f"got {input.dim()}D instead"
            raise ValueError(f"{name}: Expected input to be 2D or 3D, {got}")
        batched = input.dim() == 3
        if not batched:
            input = input.unsqueeze(0 if self.batch_first else 1)
        states = None
        if hx is not None:
            parts = hx if count > 1 else (hx,)
            want = 3 if batched else 2
            if any(h.dim() != want for h in parts):
                kind = "batched 3-D" if batched else "unbatched 2-D"
                if count > 1:
                    dims = ", ".join(f"{h.dim()}-D" for h in parts)
                    raise RuntimeError(f"For {kind} input, hx and cx should also be {want}-D but got ({dims}) tensors")
                raise RuntimeError(f"For {kind} input, hx should also be {want}-D but got {parts[0].dim()}-D tensor")
            states = [h if batched else h.unsqueeze(1) for h in parts]
        return input, states, batched

    # -- the computation -------------------------------------------------------------------------------------
    def _run(self, input, states: list) -> tuple:
        """All layers and directions over (L, N, H) input from the initial states; (output, final states)."""
        directions = 2 if self.bidirectional else 1
        weights = self.all_weights
        finals = [[] for _ in states]
        layer_input = input
        for layer in range(self.num_layers):
            outputs = []
            for direction in range(directions):
                index = layer * directions + direction
                params = weights[index]
                w_ih, w_hh = params[0], params[1]
                b_ih, b_hh = (params[2], params[3]) if self.bias else (None, None)
                projected = F.linear(layer_input, w_ih, b_ih)  # every step's input projection at once
                steps = projected.unbind(0)
                if direction == 1:
                    steps = steps[::-1]
                state = [s[index] for s in states]
                out = []
                for x_t in steps:
                    state = self._cell(x_t, state, w_hh, b_hh)
                    out.append(state[0])
                if direction == 1:
                    out = out[::-1]
                outputs.append(self._layer_output(torch.stack(out, 0), input))
                for kept, s in zip(finals, state):
                    kept.append(s)
            layer_input = outputs[0] if directions == 1 else torch.cat(outputs, -1)
            if self.dropout != 0 and self.training and layer < self.num_layers - 1:
                layer_input = F.dropout(layer_input, self.dropout, True)
        return layer_input, [torch.stack(kept, 0) for kept in finals]

    def _layer_output(self, output, input):
        """torch runs a float LSTM through oneDNN, one MkldnnRnnLayerBackward0 node per layer and direction:
        the composite's output, passed through a node of that name."""
        if self.mode != "LSTM" or input.dtype != torch.float32 or not needs_grad(output):
            return output
        named = make(output._a.copy(), output._dtype, output._device)
        record("MkldnnRnnLayerBackward0", (output,), (formula(lambda F, g: g),), {}, named)
        return named

    def _cell(self, x_t, state: list, w_hh, b_hh) -> list:
        h = state[0]
        if self.mode in ("RNN_TANH", "RNN_RELU"):
            pre = F.linear(h, w_hh, b_hh).add_(x_t)
            return [pre.tanh() if self.mode == "RNN_TANH" else pre.relu()]
        if self.mode == "LSTM":
            gates = F.linear(h, w_hh, b_hh).add_(x_t)
            i, f, g, o = gates.chunk(4, 1)
            c = (f.sigmoid() * state[1]).add_(i.sigmoid() * g.tanh())
            return [o.sigmoid() * c.tanh(), c]
        # (torch's GRUCell works in place on the unsafe_chunk pieces: its sigmoid and tanh run over strided
        # rows, so which elements take the vector loop follows that layout)
        x_r, x_z, x_n = x_t.unsafe_chunk(3, 1)
        h_r, h_z, h_n = F.linear(h, w_hh, b_hh).unsafe_chunk(3, 1)
        r = h_r.add_(x_r).sigmoid_()
        z = h_z.add_(x_z).sigmoid_()
        n = x_n.add(h_n.mul_(r)).tanh_()
        return [(h - n).mul_(z).add_(n)]

    def _forward(self, name: str, input, hx, count: int):
        input, states, batched = self._batched(name, input, hx, count)
        expected = self._expected_hidden(input)
        if states is None:
            states = [torch.zeros(expected, dtype=input.dtype, device=input.device) for _ in range(count)]
        self.check_input(input)
        for k, s in enumerate(states):
            message = f"Expected hidden[{k}] size {{}}, got {{}}" if count > 1 else "Expected hidden size {}, got {}"
            self._check_hidden(s, expected, message)
        steps = input.transpose(0, 1) if self.batch_first else input
        if steps.shape[0] == 0:
            raise RuntimeError("Expected sequence length to be larger than 0 in RNN")
        output, finals = self._run(steps, states)
        if self.batch_first:
            # (_rnn_impl transposes its output in place, _lstm_impl as a view)
            output = output.transpose(0, 1) if self.mode == "LSTM" else output.transpose_(0, 1)
        if not batched:
            output = output.squeeze(0 if self.batch_first else 1)
            finals = [f.squeeze(1) for f in finals]
        return output, (tuple(finals) if count > 1 else finals[0])


class RNN(RNNBase):
    def __init__(self, *args, nonlinearity: str = "tanh", **kwargs) -> None:
        if len(args) > 3:  # (input_size, hidden_size, num_layers, nonlinearity, ...)
            nonlinearity, args = args[3], args[:3] + args[4:]
        modes = {"tanh": "RNN_TANH", "relu": "RNN_RELU"}
        if nonlinearity not in modes:
            raise ValueError(f"Unknown nonlinearity '{nonlinearity}'. Select from 'tanh' or 'relu'.")
        super().__init__(modes[nonlinearity], *args, **kwargs)
        self.nonlinearity = nonlinearity

    def forward(self, input, hx=None):
        return self._forward("RNN", input, hx, 1)


class LSTM(RNNBase):
    def __init__(self, *args, **kwargs) -> None:
        super().__init__("LSTM", *args, **kwargs)

    def forward(self, input, hx=None):
        return self._forward("LSTM", input, hx, 2)


class GRU(RNNBase):
    def __init__(self, *args, **kwargs) -> None:
        super().__init__("GRU", *args, **kwargs)

    def forward(self, input, hx=None):
        return self._forward("GRU", input, hx, 1)
