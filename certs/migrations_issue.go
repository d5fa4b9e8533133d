package certs

import (
	"gorm.io/gorm"

	"skillgate/app/dbx"
)

// leanIssueMigration lets issuing write a certificate in one statement:
// a status list counts the indexes handed out (next_slot; -1 for lists
// made before, whose indexes were drawn at random and which take no more),
// and the "issued" event is written by the database with the certificate.
func leanIssueMigration() *dbx.Migration {
	return &dbx.Migration{
		ID: "202611290600_certificates_lean_issue",
		Migrate: func(tx *gorm.DB) error {
			stmts := []string{
				"ALTER TABLE status_lists ADD COLUMN next_slot INTEGER NOT NULL DEFAULT -1",
				"ALTER TABLE status_lists ADD COLUMN slot_key VARCHAR(64) NOT NULL DEFAULT ''",
			}
			if dbx.DialectOf(tx) == dbx.Postgres {
				stmts = append(stmts, `CREATE FUNCTION certificates_issued_event() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	INSERT INTO certificate_events (id, certificate_id, action, actor_id, reason, at)
	VALUES (NEW.id, NEW.id, 'issued', NEW.holder_id, '', NEW.issued_at);
	RETURN NULL;
END $$`, `CREATE TRIGGER certificates_issued_event AFTER INSERT ON certificates
	FOR EACH ROW EXECUTE FUNCTION certificates_issued_event()`)
			} else {
				stmts = append(stmts, `CREATE TRIGGER certificates_issued_event AFTER INSERT ON certificates BEGIN
	INSERT INTO certificate_events (id, certificate_id, action, actor_id, reason, at)
	VALUES (NEW.id, NEW.id, 'issued', NEW.holder_id, '', NEW.issued_at);
END`)
			}
			for _, stmt := range stmts {
				if err := tx.Exec(stmt).Error; err != nil {
					return err
				}
			}
			return nil
		},
	}
}
