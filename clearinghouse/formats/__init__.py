"""The portal's own date formats, before Django's (`FORMAT_MODULE_PATH`)."""
