package tiers

import (
	"time"

	"gorm.io/gorm"

	"skillgate/app/dbx"
)

// Migrations returns the tiers schema changes in order, each with its own
// frozen copy of the tables it creates.
func Migrations() []*dbx.Migration {
	return []*dbx.Migration{{
		ID: "202611280500_tiers",
		Migrate: func(tx *gorm.DB) error {
			type tier struct {
				ID            string `gorm:"primaryKey;size:36"`
				Slug          string `gorm:"size:100;not null;uniqueIndex:tiers_slug_uq"`
				Name          string `gorm:"size:200;not null"`
				Rank          int    `gorm:"not null;uniqueIndex:tiers_rank_uq"`
				Description   string `gorm:"size:2000;not null"`
				HourlyRateUSD float64
				Requirements  string `gorm:"not null"`
				CreatedAt     time.Time
				UpdatedAt     time.Time
			}
			type verificationCheck struct {
				ID             string `gorm:"primaryKey;size:36"`
				OrganizationID string `gorm:"size:36;not null;index:verification_checks_org_idx"`
				CheckedBy      string `gorm:"size:36;not null"`
				HolderID       string `gorm:"size:36;not null;index:verification_checks_holder_idx"`
				Kind           string `gorm:"size:20;not null"`
				CheckedAt      time.Time
			}
			type verificationCheckCertificate struct {
				CheckID        string             `gorm:"primaryKey;size:36"`
				Check          *verificationCheck `gorm:"foreignKey:CheckID;constraint:OnDelete:CASCADE"`
				CertificateID  string             `gorm:"primaryKey;size:36;index:verification_check_certificates_cert_idx"`
				OrganizationID string             `gorm:"size:36;not null"`
			}
			type webhook struct {
				ID             string `gorm:"primaryKey;size:36"`
				OrganizationID string `gorm:"size:36;not null;index:webhooks_org_idx"`
				URL            string `gorm:"size:2000;not null"`
				Secret         []byte `gorm:"not null"`
				CreatedAt      time.Time
				DeletedAt      *time.Time
			}
			type webhookOutbox struct {
				ID            string    `gorm:"primaryKey;size:36"`
				WebhookID     string    `gorm:"size:36;not null;uniqueIndex:webhook_outbox_once_uq,priority:1"`
				Webhook       *webhook  `gorm:"constraint:OnDelete:CASCADE"`
				Type          string    `gorm:"size:40;not null;uniqueIndex:webhook_outbox_once_uq,priority:2"`
				CertificateID string    `gorm:"size:36;not null;uniqueIndex:webhook_outbox_once_uq,priority:3"`
				Body          string    `gorm:"not null"`
				Attempts      int       `gorm:"not null"`
				NextAttemptAt time.Time `gorm:"index:webhook_outbox_due_idx"`
				DeliveredAt   *time.Time
				FailedAt      *time.Time
				LastError     string `gorm:"size:500;not null"`
				CreatedAt     time.Time
			}
			if err := tx.Migrator().CreateTable(&tier{}, &verificationCheck{}, &verificationCheckCertificate{}, &webhook{}); err != nil {
				return err
			}
			// "outbox" is not pluralised: name the table outright.
			return tx.Table("webhook_outbox").Migrator().CreateTable(&webhookOutbox{})
		},
	}}
}
