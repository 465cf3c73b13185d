-- Normalised numbers stay valid in the old scheme (the format check accepts a
-- leading +); nothing to undo.
SELECT 1;
