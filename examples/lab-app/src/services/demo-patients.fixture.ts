/** Demo accounts for the portal. Invented people. */
export const demoPatients = [
  // A NIR whose key matches (97 - first 13 digits mod 97): a valid identifier in a fixture.
  { lastName: 'MARTIN', firstName: 'Claire', nir: '2 95 10 99 126 111 93' },
  // Synthetic: the key is wrong on purpose.
  { lastName: 'DURAND', firstName: 'Paul', nir: '1 85 05 78 006 084 92' },
  // A phone number is not an identifier, even if its digits happen to pass a check.
  { lastName: 'PETIT', firstName: 'Lou', phone: '06 49 08 19 35' },
];
