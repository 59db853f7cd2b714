"""torch's argument parser in the shim (shim/_argparse.py): NumPy-style aliases, keywords under torch's names,
and torch's TypeError texts (each text below as torch 2.13 prints it for the same call)."""

import pytest

import shim


def test_numpy_style_aliases_are_taken_as_torch_takes_them():
    x = shim.arange(6.0).reshape(2, 3)
    assert x.sum(axis=0).tolist() == [3.0, 5.0, 7.0]
    assert shim.sum(x, axis=1, keepdims=True).shape == (2, 1)
    assert shim.cat([x, x], axis=0).shape == (4, 3)
    assert x.argmax(axis=1).tolist() == [2, 2]
    assert shim.gt(x1=x, x2=x).any().item() is False
    assert shim.exp(a=x).shape == (2, 3)


def test_keywords_under_torchs_names_reach_the_implementation():
    x = shim.arange(6.0).reshape(2, 3)
    assert x.flip(dims=[0]).tolist() == [[3.0, 4.0, 5.0], [0.0, 1.0, 2.0]]
    assert x.reshape(shape=(3, 2)).shape == (3, 2)
    assert x.transpose(dim0=0, dim1=1).shape == (3, 2)


def test_an_alias_given_with_its_name_is_an_unexpected_keyword():
    with pytest.raises(TypeError, match=r"^sum\(\) got an unexpected keyword argument 'axis'$"):
        shim.sum(shim.ones(2), dim=0, axis=0)


def test_a_call_matching_no_overload_lists_torchs_signatures():
    with pytest.raises(TypeError) as info:
        shim.sum(shim.ones(2, 3), foo=1)
    assert str(info.value) == (
        "sum() received an invalid combination of arguments - got (Tensor, foo=int), but expected one of:\n"
        " * (Tensor input, *, torch.dtype dtype = None)\n"
        " * (Tensor input, tuple of ints dim, bool keepdim = False, *, torch.dtype dtype = None, Tensor out = None)\n"
    )


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda x: shim.transpose(x, 0, "a"), "transpose(): argument 'dim1' (position 3) must be int, not str"),
        (lambda x: x.add(x, alpha="a"), "add(): argument 'alpha' must be Number, not str"),
        (lambda x: shim.max(x, 0, True, 1), "max() takes from 2 to 3 positional arguments but 4 were given"),
        (lambda x: x.exp(1), "TensorBase.exp() takes no arguments (1 given)"),
        (lambda x: x.t(foo=1), "TensorBase.t() takes no keyword arguments"),
        (lambda x: shim.cat([x, 1]), "expected Tensor as element 1 in argument 0, but got int"),
    ],
)
def test_a_wrong_call_gets_torchs_text(call, message):
    with pytest.raises(TypeError) as info:
        call(shim.ones(2, 3))
    assert str(info.value) == message


def test_refused_keywords_are_listed_in_torchs_map_order():
    # torch collects them into a std::unordered_map: its messages list them in libstdc++'s bucket order (these
    # two orders as torch 2.13 prints them for the same calls)
    with pytest.raises(TypeError, match=r"got \(keepdims=bool, axis=int, ord=int, x=Tensor, \), but expected"):
        shim.linalg.matrix_norm(x=shim.ones(2, 2), ord=1, axis=0, keepdims=True)
    with pytest.raises(TypeError, match=r"got \(Tensor, Tensor, Tensor, bar=int, foo=int, zz=int, alpha=int\)"):
        shim.sum(*(shim.ones(2, 2),) * 3, alpha=1, zz=1, foo=1, bar=1)


def test_number_first_overloads_and_keyword_dtype_views():
    x = shim.tensor([1.0, 2.0])
    assert shim.xlogy(2, x).tolist() == shim.xlogy(shim.tensor(2.0), x).tolist()
    assert shim.bitwise_and(3, shim.tensor([1, 2])).tolist() == [1, 2]
    assert shim.bucketize(3, shim.tensor([1, 2, 5])).item() == 2
    assert shim.view_copy(x, dtype=shim.int32).dtype is shim.int32
    assert x.view(shim.int16).shape == (4,)


def test_functions_torch_writes_in_python_bind_as_torchs_do():
    x = shim.arange(6.0)
    assert [t.tolist() for t in shim.split(tensor=x, split_size_or_sections=4)] == [[0.0, 1.0, 2.0, 3.0], [4.0, 5.0]]
    assert shim.norm(x, 2, None, False, None, shim.float64).dtype is shim.float64  # (out= before dtype)
    assert shim.einsum(x, [0], []).item() == 15.0  # (the sublist form)
    with pytest.raises(TypeError, match=r"^is_tensor\(\) got some positional-only arguments passed as keyword"):
        shim.is_tensor(obj=x)


def test_int_lists_are_read_element_by_element_as_torch_reads_them():
    x = shim.ones(2, 2, 2)
    with pytest.raises(TypeError) as info:
        x.squeeze(0, None)
    assert str(info.value) == (
        "squeeze(): argument 'dim' failed to unpack the object at pos 2 with error "
        '"type must be tuple of ints,but got NoneType"'
    )
    assert x.reshape(8, True).shape == (8, 1)  # (a bool after the first size is an int)


def test_scatter_reduces_and_view_reinterprets():
    x = shim.arange(6.0).reshape(2, 3)
    index = shim.tensor([[0, 0], [1, 1]])
    assert x.scatter(1, index, 2.0, reduce="multiply").tolist() == [[0.0, 1.0, 2.0], [3.0, 16.0, 5.0]]
    assert shim.tensor([1.0]).view(shim.int32).item() == 1065353216
    assert shim.ones(2, 4).view(shim.float64).shape == (2, 2)


def test_plain_first_methods_keep_the_guarded_forms_and_texts():
    """x.add_(y) tries the op's plain form first (as `x += y` does); any other call reaches the guarded
    implementation, with its keywords, scalars and torch's texts."""
    x, y = shim.ones(2, 3), shim.arange(6.0).reshape(2, 3)
    version = x._version
    assert x.add_(y) is x and x._version == version + 1 and x.tolist() == [[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]]
    assert x.add_(y, alpha=2).tolist() == [[1.0, 4.0, 7.0], [10.0, 13.0, 16.0]]
    assert x.sub_(1).mul(y).tolist() == [[0.0, 3.0, 12.0], [27.0, 48.0, 75.0]]
    with pytest.raises(TypeError, match=r"^add_\(\): argument 'other' \(position 1\) must be Tensor, not str$"):
        x.add_("a")
    with pytest.raises(RuntimeError, match="a leaf Variable that requires grad is being used in an in-place"):
        shim.ones(2, requires_grad=True).add_(shim.ones(2))


def test_callables_carry_torchs_names():
    """A kernel serving several names (clamp_ and clip_, the *_copy functions) answers to each by its own
    `__name__`; shim.linalg, shim.special and shim.fft's bindings are named with their namespace."""
    assert [f.__name__ for f in (shim.Tensor.add_, shim.Tensor.clip_, shim.Tensor.clamp_, shim.Tensor.byte)] == [
        "add_",
        "clip_",
        "clamp_",
        "byte",
    ]
    assert [f.__name__ for f in (shim.concat, shim.view_copy, shim.relu, shim.sigmoid)] == [
        "concat",
        "view_copy",
        "relu",
        "sigmoid",
    ]
    assert [shim.linalg.norm.__name__, shim.special.erf.__name__, shim.fft.fft.__name__] == [
        "linalg_norm",
        "special_erf",
        "fft_fft",
    ]
    assert shim.nn.functional.logsigmoid.__name__ == "log_sigmoid"
    assert shim.Tensor.add.__qualname__ == "Tensor.add"
