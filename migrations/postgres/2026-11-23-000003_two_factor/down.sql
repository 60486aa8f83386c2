DROP TABLE devices;
DROP TABLE recovery_codes;
DROP TABLE two_factor_codes;
DROP TABLE two_factor;
