"""The library on disk: the only package that knows file names, shapes and how they are written.

Importing it is cheap (nothing here is loaded until asked for), so the
reader can find the library folder before its first frame.
"""
