package vault

import (
	"context"
	"fmt"
	"net/url"
	"path/filepath"

	"github.com/kopia/kopia/repo/blob"
	"github.com/kopia/kopia/repo/blob/azure"
	"github.com/kopia/kopia/repo/blob/b2"
	"github.com/kopia/kopia/repo/blob/gcs"
)

// The three provider object stores below share one shape: a bucket (or
// container), an optional prefix, and provider credentials that must be
// given explicitly so no client goes looking for cloud metadata servers.

func parseGCS(u *url.URL, o settings) (Destination, error) {
	if u.Host == "" {
		return Destination{}, fmt.Errorf("gcs destination: missing bucket (gcs://bucket/prefix)")
	}

	creds := o.get("credentials-file", "GOOGLE_APPLICATION_CREDENTIALS")
	if err := requireOpt("gcs", "service account credentials file", creds, "GOOGLE_APPLICATION_CREDENTIALS"); err != nil {
		return Destination{}, err
	}

	creds, err := filepath.Abs(creds)
	if err != nil {
		return Destination{}, fmt.Errorf("gcs destination: %w", err)
	}

	opt := gcs.Options{
		BucketName:                    u.Host,
		Prefix:                        objectPrefix(u.Path),
		ServiceAccountCredentialsFile: creds,
	}

	return Destination{
		kind:    "gcs",
		display: "gcs://" + opt.BucketName + "/" + opt.Prefix,
		newStorage: func(ctx context.Context, create bool) (blob.Storage, error) {
			o := opt

			return gcs.New(ctx, &o, create)
		},
	}, nil
}

func parseAzure(u *url.URL, o settings) (Destination, error) {
	if u.Host == "" {
		return Destination{}, fmt.Errorf("azure destination: missing container (azure://container/prefix)")
	}

	opt := azure.Options{
		Container:      u.Host,
		Prefix:         objectPrefix(u.Path),
		StorageAccount: o.get("account", "AZURE_STORAGE_ACCOUNT"),
		StorageKey:     o.get("key", "AZURE_STORAGE_KEY"),
		SASToken:       o.get("sas-token", "AZURE_STORAGE_SAS_TOKEN"),
		StorageDomain:  o.get("domain"),
	}

	if err := requireOpt("azure", "storage account", opt.StorageAccount, "AZURE_STORAGE_ACCOUNT"); err != nil {
		return Destination{}, err
	}

	if opt.StorageKey == "" && opt.SASToken == "" {
		return Destination{}, requireOpt("azure", "storage key or SAS token", "", "AZURE_STORAGE_KEY", "AZURE_STORAGE_SAS_TOKEN")
	}

	return Destination{
		kind: "azure",
		display: "azure://" + opt.Container + "/" + opt.Prefix +
			publicQuery(map[string]string{"account": opt.StorageAccount, "domain": opt.StorageDomain}),
		newStorage: func(ctx context.Context, create bool) (blob.Storage, error) {
			o := opt

			return azure.New(ctx, &o, create)
		},
	}, nil
}

func parseB2(u *url.URL, o settings) (Destination, error) {
	if u.Host == "" {
		return Destination{}, fmt.Errorf("b2 destination: missing bucket (b2://bucket/prefix)")
	}

	opt := b2.Options{
		BucketName: u.Host,
		Prefix:     objectPrefix(u.Path),
		KeyID:      o.get("key-id", "B2_ACCOUNT_ID", "B2_APPLICATION_KEY_ID"),
		Key:        o.get("key", "B2_APPLICATION_KEY"),
	}

	if err := requireOpt("b2", "key ID", opt.KeyID, "B2_ACCOUNT_ID", "B2_APPLICATION_KEY_ID"); err != nil {
		return Destination{}, err
	}

	if err := requireOpt("b2", "application key", opt.Key, "B2_APPLICATION_KEY"); err != nil {
		return Destination{}, err
	}

	return Destination{
		kind:    "b2",
		display: "b2://" + opt.BucketName + "/" + opt.Prefix,
		newStorage: func(ctx context.Context, create bool) (blob.Storage, error) {
			o := opt

			return b2.New(ctx, &o, create)
		},
	}, nil
}
