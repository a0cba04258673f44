"""The dialect: translation, its rules (rules/<module>.sql), bounds and fuzzing."""
