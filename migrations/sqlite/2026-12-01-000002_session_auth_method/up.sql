-- How each session was authenticated: password, password_and_second_factor or passkey.
ALTER TABLE sessions ADD COLUMN auth_method TEXT NOT NULL DEFAULT 'password';
