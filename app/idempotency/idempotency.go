// Package idempotency makes any POST safe to retry: a request carrying an
// Idempotency-Key is answered once, and a retry with the same key and body
// gets the first answer back without anything changing twice. Answers are
// kept in the database, so a retry may land on another replica.
package idempotency

import (
	"crypto/sha256"
	"encoding/hex"
	"time"

	"github.com/gofiber/fiber/v2"
	"gorm.io/gorm"

	"skillgate/app/dbx"
	"skillgate/app/web"
)

// Header is the request header that carries the key.
const Header = "Idempotency-Key"

// maxKeyLength bounds the key a client may send.
const maxKeyLength = 255

type record struct {
	ID          string `gorm:"primaryKey;size:64"`
	BodyHash    string `gorm:"size:64;not null"`
	Done        bool   `gorm:"not null"`
	Status      int
	ContentType string `gorm:"size:100"`
	Response    []byte
	CreatedAt   time.Time `gorm:"index"`
}

func (record) TableName() string { return "idempotency_records" }

// Middleware stores and replays POST answers keyed by Idempotency-Key.
// Server errors are not stored, so a request that failed for want of the
// database can be retried with the same key once it is back.
func Middleware(db *gorm.DB, now func() time.Time) fiber.Handler {
	return func(c *fiber.Ctx) error {
		key := c.Get(Header)
		// The contract covers every POST, sign-in and registration
		// included: a retried registration must get its 201 back, not a
		// 409. Those answers hold tokens; the records go after 24 hours
		// (see SECURITY.md).
		if c.Method() != fiber.MethodPost || key == "" {
			return c.Next()
		}
		if len(key) > maxKeyLength {
			return web.BadRequest("Idempotency-Key is longer than 255 characters")
		}
		ctx := c.UserContext()
		scope := sha256.New()
		// The key is the caller's own: two callers may pick the same one.
		for _, part := range []string{c.Get(fiber.HeaderAuthorization), c.Path(), key} {
			scope.Write([]byte(part))
			scope.Write([]byte{0})
		}
		id := hex.EncodeToString(scope.Sum(nil))
		bodySum := sha256.Sum256(c.Body())
		bodyHash := hex.EncodeToString(bodySum[:])

		err := db.WithContext(ctx).Create(&record{ID: id, BodyHash: bodyHash, CreatedAt: now()}).Error
		if dbx.IsDuplicate(err) {
			var prev record
			if err := db.WithContext(ctx).Where("id = ?", id).Take(&prev).Error; err != nil {
				if dbx.IsNotFound(err) {
					return web.Conflict("a request with this Idempotency-Key just failed; retry it")
				}
				return err
			}
			if prev.BodyHash != bodyHash {
				return &web.Error{Kind: web.KindValidation, Message: "this Idempotency-Key was used with a different request body",
					Fields: []web.FieldError{{Field: Header, Message: "was used with a different request body"}}}
			}
			if !prev.Done {
				return &web.Error{Kind: web.KindConflict, Message: "a request with this Idempotency-Key is still in progress",
					RetryAfter: time.Second}
			}
			c.Status(prev.Status)
			c.Set("Idempotent-Replayed", "true")
			if prev.ContentType != "" {
				c.Set(fiber.HeaderContentType, prev.ContentType)
			}
			return c.Send(prev.Response)
		}
		if err != nil {
			return err
		}

		if err := c.Next(); err != nil {
			if herr := c.App().ErrorHandler(c, err); herr != nil {
				db.WithContext(ctx).Where("id = ?", id).Delete(&record{})
				return herr
			}
		}
		status := c.Response().StatusCode()
		if status >= 500 || status == fiber.StatusTooManyRequests || status == fiber.StatusConflict && c.Response().Header.Peek(fiber.HeaderRetryAfter) != nil {
			db.WithContext(ctx).Where("id = ?", id).Delete(&record{})
			return nil
		}
		db.WithContext(ctx).Model(&record{}).Where("id = ?", id).Updates(map[string]any{
			"done": true, "status": status, "content_type": string(c.Response().Header.ContentType()),
			"response": append([]byte(nil), c.Response().Body()...),
		})
		return nil
	}
}

// Purge deletes records older than age.
func Purge(db *gorm.DB, cutoff time.Time) (int64, error) {
	res := db.Where("created_at < ?", cutoff).Delete(&record{})
	return res.RowsAffected, res.Error
}

// Migrations creates the records table.
func Migrations() []*dbx.Migration {
	return []*dbx.Migration{{
		ID: "202611280020_idempotency_records",
		Migrate: func(tx *gorm.DB) error {
			type idempotencyRecord struct {
				ID          string `gorm:"primaryKey;size:64"`
				BodyHash    string `gorm:"size:64;not null"`
				Done        bool   `gorm:"not null"`
				Status      int
				ContentType string `gorm:"size:100"`
				Response    []byte
				CreatedAt   time.Time `gorm:"index:idempotency_records_created_idx"`
			}
			return tx.Migrator().CreateTable(&idempotencyRecord{})
		},
	}}
}
