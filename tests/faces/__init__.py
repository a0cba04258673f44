"""The faces: the ddsql command, the interactive shell, the IPython magics, notebooks."""
