from tests.catalog.fixtures import (  # noqa: F401
    _private_media,
    certificate,
    make_product,
    place,
    programme,
)
