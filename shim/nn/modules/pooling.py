"""Max, average and adaptive pooling layers in 1, 2 and 3 dims, holding their arguments as torch's do (the
1-d average pool normalises its to 1-tuples, the others keep what they were given) for the same repr."""

from __future__ import annotations

from .. import functional as F
from .module import Module, forward_per_class
from .utils import _single

__all__ = [
    "MaxPool1d", "MaxPool2d", "MaxPool3d", "AvgPool1d", "AvgPool2d", "AvgPool3d", "AdaptiveAvgPool1d",
    "AdaptiveAvgPool2d", "AdaptiveAvgPool3d", "AdaptiveMaxPool1d", "AdaptiveMaxPool2d", "AdaptiveMaxPool3d",
]  # fmt: skip


class _MaxPoolNd(Module):
    dims = 2

    def __init__(self, kernel_size, stride=None, padding=0, dilation=1, return_indices: bool = False,
                 ceil_mode: bool = False) -> None:  # fmt: skip
        super().__init__()
        self.kernel_size = kernel_size
        self.stride = stride if (stride is not None) else kernel_size
        self.padding = padding
        self.dilation = dilation
        self.return_indices = return_indices
        self.ceil_mode = ceil_mode

    def extra_repr(self) -> str:
        return (
            "kernel_size={kernel_size}, stride={stride}, padding={padding}"
            ", dilation={dilation}, ceil_mode={ceil_mode}".format(**self.__dict__)
        )

    @forward_per_class
    def forward(self, input):
        pool = getattr(F, f"max_pool{self.dims}d")
        return pool(input, self.kernel_size, self.stride, self.padding, self.dilation, ceil_mode=self.ceil_mode,
                    return_indices=self.return_indices)  # fmt: skip


class MaxPool1d(_MaxPoolNd):
    dims = 1


class MaxPool2d(_MaxPoolNd):
    dims = 2


class MaxPool3d(_MaxPoolNd):
    dims = 3


class _AvgPoolNd(Module):
    def extra_repr(self) -> str:
        return f"kernel_size={self.kernel_size}, stride={self.stride}, padding={self.padding}"


class AvgPool1d(_AvgPoolNd):
    def __init__(self, kernel_size, stride=None, padding=0, ceil_mode: bool = False,
                 count_include_pad: bool = True) -> None:  # fmt: skip
        super().__init__()
        self.kernel_size = _single(kernel_size)
        self.stride = _single(stride if stride is not None else kernel_size)
        self.padding = _single(padding)
        self.ceil_mode = ceil_mode
        self.count_include_pad = count_include_pad

    def forward(self, input):
        return F.avg_pool1d(input, self.kernel_size, self.stride, self.padding, self.ceil_mode, self.count_include_pad)


class _AvgPool23d(_AvgPoolNd):
    dims = 2

    def __init__(self, kernel_size, stride=None, padding=0, ceil_mode: bool = False, count_include_pad: bool = True,
                 divisor_override=None) -> None:  # fmt: skip
        super().__init__()
        self.kernel_size = kernel_size
        self.stride = stride if (stride is not None) else kernel_size
        self.padding = padding
        self.ceil_mode = ceil_mode
        self.count_include_pad = count_include_pad
        self.divisor_override = divisor_override

    @forward_per_class
    def forward(self, input):
        pool = getattr(F, f"avg_pool{self.dims}d")
        return pool(input, self.kernel_size, self.stride, self.padding, self.ceil_mode, self.count_include_pad,
                    self.divisor_override)  # fmt: skip


class AvgPool2d(_AvgPool23d):
    dims = 2


class AvgPool3d(_AvgPool23d):
    dims = 3


class _AdaptiveAvgPoolNd(Module):
    dims = 2

    def __init__(self, output_size) -> None:
        super().__init__()
        self.output_size = output_size

    def extra_repr(self) -> str:
        return f"output_size={self.output_size}"

    @forward_per_class
    def forward(self, input):
        return getattr(F, f"adaptive_avg_pool{self.dims}d")(input, self.output_size)


class AdaptiveAvgPool1d(_AdaptiveAvgPoolNd):
    dims = 1


class AdaptiveAvgPool2d(_AdaptiveAvgPoolNd):
    dims = 2


class AdaptiveAvgPool3d(_AdaptiveAvgPoolNd):
    dims = 3


class _AdaptiveMaxPoolNd(Module):
    dims = 2

    def __init__(self, output_size, return_indices: bool = False) -> None:
        super().__init__()
        self.output_size = output_size
        self.return_indices = return_indices

    def extra_repr(self) -> str:
        return f"output_size={self.output_size}"

    @forward_per_class
    def forward(self, input):
        return getattr(F, f"adaptive_max_pool{self.dims}d")(input, self.output_size, self.return_indices)


class AdaptiveMaxPool1d(_AdaptiveMaxPoolNd):
    dims = 1


class AdaptiveMaxPool2d(_AdaptiveMaxPoolNd):
    dims = 2


class AdaptiveMaxPool3d(_AdaptiveMaxPoolNd):
    dims = 3
