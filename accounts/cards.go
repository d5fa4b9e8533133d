package accounts

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"strings"
	"time"

	"skillgate/app/dbx"
	"skillgate/app/web"
)

// Sign-in cards and one-time links let a learner without email (or anyone
// an admin resets) in without a password. Both carry a secret of 128
// random bits, stored only as a SHA-256 digest: a card until it is
// replaced, a link once and for a day. Checking one costs no password
// hash, so a whole class can sign in at once.

// Kinds of sign-in secret; an account has at most one of each.
const (
	SecretCard = "card"
	SecretLink = "link"
)

// LinkTTL is how long a one-time sign-in link works.
const LinkTTL = 24 * time.Hour

// secretBytes is the size of a card secret: 128 bits, 26 characters of
// Crockford base32.
const secretBytes = 16

const crockford = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"

// encodeSecret writes b in Crockford base32 (upper case, no padding).
func encodeSecret(b []byte) string {
	var out strings.Builder
	var acc uint32
	bits := 0
	for _, c := range b {
		acc = acc<<8 | uint32(c)
		bits += 8
		for bits >= 5 {
			bits -= 5
			out.WriteByte(crockford[(acc>>uint(bits))&31])
		}
	}
	if bits > 0 {
		out.WriteByte(crockford[(acc<<uint(5-bits))&31])
	}
	return out.String()
}

// CanonicalSecret reads a secret as a person may type it: any case, with
// or without dashes and spaces, O for 0 and I or L for 1. It returns ""
// when what is left is not a secret of the right length.
func CanonicalSecret(typed string) string {
	var out strings.Builder
	for _, r := range strings.ToUpper(typed) {
		switch {
		case r == '-' || r == ' ' || r == '\t':
			continue
		case r == 'O':
			r = '0'
		case r == 'I' || r == 'L':
			r = '1'
		case !strings.ContainsRune(crockford, r):
			return ""
		}
		out.WriteRune(r)
	}
	s := out.String()
	if len(s) != (secretBytes*8+4)/5 {
		return ""
	}
	// The last character carries 3 bits of the secret and 2 of padding.
	if strings.IndexByte(crockford, s[len(s)-1])&3 != 0 {
		return ""
	}
	return s
}

// TypedCode groups a secret in fours for reading and typing:
// "7K3M-Q9XD-...".
func TypedCode(secret string) string {
	var parts []string
	for len(secret) > 4 {
		parts = append(parts, secret[:4])
		secret = secret[4:]
	}
	parts = append(parts, secret)
	return strings.Join(parts, "-")
}

func newSecret() (string, error) {
	b := make([]byte, secretBytes)
	if _, err := rand.Read(b); err != nil {
		return "", fmt.Errorf("accounts: random: %w", err)
	}
	return encodeSecret(b), nil
}

func hashSecret(canonical string) string {
	sum := sha256.Sum256([]byte("skillgate sign-in secret\x00" + canonical))
	return hex.EncodeToString(sum[:])
}

// endSessions revokes every refresh token of the user and cuts every
// access token issued before.
func (s *Service) endSessions(ctx context.Context, userID string, now time.Time) error {
	if err := s.store.UpdateUser(ctx, userID, UserChange{BumpTokenVersion: true}, now); err != nil {
		return err
	}
	if err := s.store.RevokeUserTokens(ctx, userID, now); err != nil {
		return err
	}
	return s.store.DeleteCardSessions(ctx, userID)
}

// Card is a printed sign-in card: the secret is shown here only.
type Card struct {
	User      User
	Secret    string // 26 characters of Crockford base32
	Code      string // the secret grouped for typing
	SignInURL string
}

// SignInURL is the web address a card's QR code and a reset link open.
func (s *Service) SignInURL(secret string) string {
	return strings.TrimRight(s.opt.Issuer, "/") + "/card/" + secret
}

// IssueCards gives each user a new card, replacing the card before it
// (which stops working) and ending the user's sessions: reissuing a card
// is how a trainer resets a learner. All cards are issued in one
// transaction, in the order of userIDs.
func (s *Service) IssueCards(ctx context.Context, userIDs []string) ([]Card, error) {
	out := make([]Card, 0, len(userIDs))
	err := s.store.InTx(ctx, func(ctx context.Context) error {
		now := s.opt.Now()
		for _, id := range userIDs {
			u, err := s.store.UserByID(ctx, id)
			if err != nil {
				return err
			}
			secret, err := newSecret()
			if err != nil {
				return err
			}
			if err := s.store.putSecret(ctx, id, SecretCard, hashSecret(secret), nil, now); err != nil {
				return err
			}
			if err := s.endSessions(ctx, id, now); err != nil {
				return err
			}
			out = append(out, Card{User: u, Secret: secret, Code: TypedCode(secret), SignInURL: s.SignInURL(secret)})
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// SignInLink is a one-time link shown once to whoever resets an account.
type SignInLink struct {
	URL       string
	ExpiresAt time.Time
}

// ResetLink gives the user a one-time sign-in link valid for LinkTTL,
// replacing any earlier link, and ends every session of the account. An
// admin resets anyone this way; the first-run command uses it too.
func (s *Service) ResetLink(ctx context.Context, userID string) (SignInLink, error) {
	var link SignInLink
	err := s.store.InTx(ctx, func(ctx context.Context) error {
		if _, err := s.store.UserByID(ctx, userID); err != nil {
			return err
		}
		secret, err := newSecret()
		if err != nil {
			return err
		}
		now := s.opt.Now()
		exp := now.Add(LinkTTL)
		if err := s.store.putSecret(ctx, userID, SecretLink, hashSecret(secret), &exp, now); err != nil {
			return err
		}
		if err := s.endSessions(ctx, userID, now); err != nil {
			return err
		}
		link = SignInLink{URL: s.SignInURL(secret), ExpiresAt: exp}
		return nil
	})
	return link, err
}

// errBadCard is the one answer for an unknown, replaced, used or expired
// card or link.
var errBadCard = web.Unauthenticated("the card is not valid")

// CardSignIn signs in with a card's secret (or a one-time link's), typed
// or scanned, and records the new session as begun by card: such a
// session may set a password without the current one.
func (s *Service) CardSignIn(ctx context.Context, secret string) (Session, error) {
	canonical := CanonicalSecret(secret)
	if canonical == "" {
		return Session{}, errBadCard
	}
	var sess Session
	err := s.store.InTx(ctx, func(ctx context.Context) error {
		now := s.opt.Now()
		row, err := s.store.SecretByHash(ctx, hashSecret(canonical))
		if err != nil {
			return err
		}
		if row == nil {
			return errBadCard
		}
		if row.Kind == SecretLink {
			// Spent by a conditional update, so two uses at once cannot
			// both sign in.
			spent, err := s.store.SpendLink(ctx, row.ID, now)
			if err != nil {
				return err
			}
			if !spent {
				return errBadCard
			}
		}
		u, err := s.store.UserByID(ctx, row.UserID)
		if err != nil {
			return err
		}
		if u.Disabled {
			return errBadCard
		}
		family := dbx.NewID()
		if sess, err = s.issue(ctx, u, family, now.Add(s.opt.RefreshTokenTTL), now); err != nil {
			return err
		}
		return s.store.CreateCardSession(ctx, family, u.ID, now)
	})
	return sess, err
}

// FamilyByCard reports whether the refresh-token family (a session) was
// begun with a card or a one-time link.
func (s *Service) FamilyByCard(ctx context.Context, familyID string) bool {
	if familyID == "" {
		return false
	}
	byCard, err := s.store.IsCardFamily(ctx, familyID, "")
	return err == nil && byCard
}

// SetPasswordFromCard sets the password of the user of a session begun
// with a card, without the current password, and ends every session of the
// account (this one too): the user signs in again with the new password.
func (s *Service) SetPasswordFromCard(ctx context.Context, userID, familyID, next string) error {
	byCard, err := s.store.IsCardFamily(ctx, familyID, userID)
	if err != nil {
		return err
	}
	if !byCard {
		return web.Invalid("the password cannot be changed", web.Required("current_password"))
	}
	if live, err := s.store.FamilyLive(ctx, userID, familyID, s.opt.Now()); err != nil || !live {
		if err != nil {
			return err
		}
		return web.Unauthenticated("the session has ended")
	}
	u, err := s.store.UserByID(ctx, userID)
	if err != nil {
		return err
	}
	if f := CheckPasswordFor("new_password", next, u.Email, u.Name+" "+u.Username); len(f) > 0 {
		return web.Invalid("the password cannot be changed", f...)
	}
	hash, err := s.hasher.Hash(next)
	if err != nil {
		return err
	}
	return s.store.InTx(ctx, func(ctx context.Context) error {
		now := s.opt.Now()
		if err := s.store.UpdateUser(ctx, userID, UserChange{PasswordHash: &hash}, now); err != nil {
			return err
		}
		return s.endSessions(ctx, userID, now)
	})
}

// SessionFamily names the session (refresh-token family) an access token
// belongs to, or "" when it names none.
func (s *Service) SessionFamily(bearer string) string {
	claims, err := s.signer.verify(bearer)
	if err != nil {
		return ""
	}
	return claims.SessionID
}
