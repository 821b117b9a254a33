//go:build tools

// Package tools pins the Pulumi CLI as a dependency of this wrapper module, so `go mod tidy` keeps every
// module it needs. Nothing here is compiled; the binary is built with
//
//	go build -o ../../.tools/pulumi/bin/pulumi github.com/pulumi/pulumi/pkg/v3/cmd/pulumi
package tools

import (
	_ "github.com/pulumi/pulumi/pkg/v3/cmd/pulumi"
)
