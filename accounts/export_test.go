package accounts

// PasswordsChecked is how many passwords the service has run through
// argon2 to compare, for tests that bound guessing.
func PasswordsChecked(s *Service) int64 { return s.hasher.verified.Load() }
