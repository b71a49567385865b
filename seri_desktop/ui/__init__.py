"""The PySide6 user interface: thin widgets over the layers below."""
