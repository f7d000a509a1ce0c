package sbom

import (
	"errors"
	"fmt"
)

// ErrInvalid is the root of every error this package returns.
var ErrInvalid = errors.New("sbom")

// ErrInvalidOption is the root of every error an Option reports.
var ErrInvalidOption = fmt.Errorf("%w: invalid option", ErrInvalid)

// ErrUnsupportedSpec is returned for a CycloneDX version other than 1.5 or
// 1.6.
var ErrUnsupportedSpec = fmt.Errorf("%w: unsupported CycloneDX version", ErrInvalidOption)

// ErrInvalidSerial is returned for a serial number that is not a
// "urn:uuid:…" URN.
var ErrInvalidSerial = fmt.Errorf("%w: serial number is not a urn:uuid URN", ErrInvalidOption)

// ErrNilLockfile is returned when BOM is given no lockfile.
var ErrNilLockfile = fmt.Errorf("%w: nil lockfile", ErrInvalid)

// ErrNilBOM is returned when Encode is given no BOM.
var ErrNilBOM = fmt.Errorf("%w: nil BOM", ErrInvalid)
