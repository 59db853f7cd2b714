"""torch.backends.cuda."""


def is_built() -> bool:
    return False
