package site

import (
	"encoding/base64"

	"github.com/skip2/go-qrcode"
)

// qrDataURI draws a QR code of text as a small PNG inside the page, so the
// certificate page costs no extra request.
func qrDataURI(text string) (string, error) {
	png, err := qrcode.Encode(text, qrcode.Medium, 160)
	if err != nil {
		return "", err
	}
	return "data:image/png;base64," + base64.StdEncoding.EncodeToString(png), nil
}
