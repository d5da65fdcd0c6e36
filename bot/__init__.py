"""Community crime-reporting chatbot: content as data, a transport-free engine, and front ends on top."""

__version__ = "0.1.0"
