"""torch.nn's recurrent layers: RNN (tanh, relu), LSTM and GRU built under one seed in both libraries
(parameter names and values bit for bit, reprs), run on batched and unbatched sequences, batch first or not,
with or without initial states, several layers, one or two directions, dropout between layers: outputs,
final states, the output's node, and the gradients of input, initial states and every parameter; and the
argument errors.

Tolerance: the steps' products go through the shim's BLAS (an order other than MKL's or oneDNN's), and every
step feeds the next, so values are compared to torch's tolerance plus 4 ULPs.  Gradient versions are not
compared: a parameter's gradient is summed over the time steps, and whether AccumulateGrad then keeps it
(version 0) or copies it (version 1) follows the layouts of torch's own sums and of oneDNN's LSTM kernel,
which the composite does not reproduce."""

from __future__ import annotations

from hypothesis import strategies as st

from ..registry import case


@st.composite
def _rnn(draw):
    kind = draw(st.sampled_from(["RNN", "LSTM", "GRU"]), label="kind")
    options = {
        "num_layers": draw(st.integers(1, 2), label="num_layers"),
        "bias": draw(st.booleans(), label="bias"),
        "batch_first": draw(st.booleans(), label="batch_first"),
        "bidirectional": draw(st.booleans(), label="bidirectional"),
    }
    if options["num_layers"] > 1:
        options["dropout"] = draw(st.sampled_from([0.0, 0.4]), label="dropout")
    if kind == "RNN":
        options["nonlinearity"] = draw(st.sampled_from(["tanh", "relu"]), label="nonlinearity")
    return kind, options


@case(
    covers=("nn.RNN", "nn.LSTM", "nn.GRU", "nn.RNNBase"),
    ulps=4,
    version=False,
    seed=st.integers(0, 2**32 - 1),
    spec=_rnn(),
    sizes=st.tuples(st.integers(1, 3), st.integers(1, 4), st.integers(1, 4), st.integers(1, 3)),
    batched=st.booleans(),
    initial=st.booleans(),
    dtype=st.sampled_from(["float32", "float64"]),
)
def nn_rnn(xp, seed, spec, sizes, batched, initial, dtype):
    """A seeded layer on a seeded sequence: repr, named parameters, output and final states, the output's
    node, then the gradients of the input, the initial states and the parameters under a fixed upstream."""
    kind, options = spec
    input_size, hidden_size, length, batch = sizes
    xp.manual_seed(seed)
    layer = getattr(xp.nn, kind)(input_size, hidden_size, **options, dtype=getattr(xp, dtype))
    shape = ((batch, length) if options["batch_first"] else (length, batch)) if batched else (length,)
    x = xp.randn(*shape, input_size, dtype=getattr(xp, dtype), requires_grad=True)
    directions = 2 if options["bidirectional"] else 1
    state_shape = (options["num_layers"] * directions, *((batch,) if batched else ()), hidden_size)
    states = [xp.randn(state_shape, dtype=getattr(xp, dtype), requires_grad=True) for _ in range(1 + (kind == "LSTM"))]
    hx = (tuple(states) if kind == "LSTM" else states[0]) if initial else None
    output, final = layer(x, hx)
    finals = final if isinstance(final, tuple) else (final,)
    loss = (output * xp.arange(output.numel(), dtype=output.dtype).reshape(output.shape).cos()).sum()
    for f in finals:
        loss = loss + f.square().sum()
    loss.backward()
    grads = [x.grad, *(s.grad for s in states if initial), *(p.grad for p in layer.parameters())]
    named = [(name, p) for name, p in layer.named_parameters()]
    return repr(layer), named, output, finals, output.grad_fn.name(), grads


_RNN_ERRORS = {
    "input size": lambda xp: xp.nn.LSTM(3, 4)(xp.randn(5, 2, 2)),
    "input rank": lambda xp: xp.nn.RNN(3, 4)(xp.randn(2, 5, 2, 3)),
    "lstm input rank": lambda xp: xp.nn.LSTM(3, 4)(xp.randn(2, 5, 2, 3)),
    "hidden size": lambda xp: xp.nn.GRU(3, 4)(xp.randn(5, 2, 3), xp.zeros(1, 3, 4)),
    "cell size": lambda xp: xp.nn.LSTM(3, 4)(xp.randn(5, 2, 3), (xp.zeros(1, 2, 4), xp.zeros(2, 2, 4))),
    "hidden rank": lambda xp: xp.nn.RNN(3, 4)(xp.randn(5, 2, 3), xp.zeros(2, 4)),
    "unbatched states": lambda xp: xp.nn.LSTM(3, 4)(xp.randn(5, 3), (xp.zeros(1, 1, 4), xp.zeros(1, 4))),
    "nonlinearity": lambda xp: xp.nn.RNN(3, 4, nonlinearity="sigmoid"),
    "dropout": lambda xp: xp.nn.GRU(3, 4, dropout=2),
    "dropout one layer": lambda xp: repr(xp.nn.GRU(3, 4, dropout=0.5)),
    "dtype": lambda xp: xp.nn.LSTM(3, 4)(xp.randn(5, 2, 3).double()),
    "hidden zero": lambda xp: xp.nn.RNN(3, 0),
    "layers zero": lambda xp: xp.nn.LSTM(3, 4, num_layers=0),
    "bias type": lambda xp: xp.nn.GRU(3, 4, bias=1),
    "empty sequence": lambda xp: xp.nn.RNN(3, 4)(xp.randn(0, 2, 3)),
}


@case(covers=("nn.RNN", "nn.LSTM", "nn.GRU"), which=st.sampled_from(sorted(_RNN_ERRORS)))
def nn_rnn_errors(xp, which):
    """Each argument error (and the one-layer dropout warning) with torch's class and message."""
    xp.manual_seed(0)
    return _RNN_ERRORS[which](xp)
