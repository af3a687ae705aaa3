"""Wire formats shared by the parts of Sésame, in pure Python.

Nothing here imports Django or touches the network or the file system by itself: bytes and
dataclasses in, bytes and dataclasses out. The seams between the ENT, the library and the portal
are exactly these formats, so each can be tested against real-shaped files on its own.
"""
