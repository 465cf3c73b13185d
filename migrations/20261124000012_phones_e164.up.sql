-- Phones are stored in one form, E.164 ("+8613800000001"), so that one number
-- typed two ways cannot make two accounts and SMS sign-in finds the account
-- however the number was typed. The application normalises every new or
-- edited number with libphonenumber; this brings existing mainland mobile
-- numbers (the forms it stored before: digits, maybe +86/0086, separators)
-- into that form. A number two accounts would share after normalising keeps
-- its old form on all but the oldest account (nothing is lost; an admin
-- resolves the clash), and any other number is normalised at its next edit.
WITH cleaned AS (
    SELECT id, regexp_replace(phone, '[[:space:]().-]', '', 'g') AS digits
      FROM users
     WHERE phone IS NOT NULL
), normalised AS (
    SELECT id,
           CASE
               WHEN digits ~ '^1[3-9][0-9]{9}$' THEN '+86' || digits
               WHEN digits ~ '^\+?861[3-9][0-9]{9}$' THEN '+' || ltrim(digits, '+')
               WHEN digits ~ '^00861[3-9][0-9]{9}$' THEN '+' || substr(digits, 3)
           END AS e164
      FROM cleaned
), first_claim AS (
    SELECT DISTINCT ON (e164) id, e164
      FROM normalised
     WHERE e164 IS NOT NULL
     ORDER BY e164, id
)
UPDATE users u
   SET phone = f.e164
  FROM first_claim f
 WHERE u.id = f.id
   AND u.phone <> f.e164
   AND NOT EXISTS (SELECT 1 FROM users o WHERE o.phone = f.e164 AND o.id <> u.id);
