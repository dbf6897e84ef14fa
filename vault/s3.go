package vault

import (
	"context"
	"fmt"
	"net/url"

	"github.com/kopia/kopia/repo/blob"
	"github.com/kopia/kopia/repo/blob/s3"
)

// parseS3 handles s3://bucket/prefix for AWS and every S3-compatible store
// (MinIO, Ceph, versitygw, ...). A family or company points all devices at
// one bucket; each device backs up as its own source.
func parseS3(u *url.URL, o settings) (Destination, error) {
	bucket := u.Host
	if bucket == "" {
		return Destination{}, fmt.Errorf("s3 destination: missing bucket (s3://bucket/prefix)")
	}

	tls, err := o.boolean("tls", true)
	if err != nil {
		return Destination{}, fmt.Errorf("s3 destination: %w", err)
	}

	verify, err := o.boolean("tls-verify", true)
	if err != nil {
		return Destination{}, fmt.Errorf("s3 destination: %w", err)
	}

	opt := s3.Options{
		BucketName:      bucket,
		Prefix:          objectPrefix(u.Path),
		Endpoint:        o.get("endpoint"),
		Region:          o.get("region", "AWS_REGION", "AWS_DEFAULT_REGION"),
		DoNotUseTLS:     !tls,
		DoNotVerifyTLS:  !verify,
		AccessKeyID:     o.get("access-key-id", "AWS_ACCESS_KEY_ID"),
		SecretAccessKey: o.get("secret-access-key", "AWS_SECRET_ACCESS_KEY"),
		SessionToken:    o.get("session-token", "AWS_SESSION_TOKEN"),
	}

	if err := requireOpt("s3", "access key", opt.AccessKeyID, "AWS_ACCESS_KEY_ID"); err != nil {
		return Destination{}, err
	}

	if err := requireOpt("s3", "secret key", opt.SecretAccessKey, "AWS_SECRET_ACCESS_KEY"); err != nil {
		return Destination{}, err
	}

	public := map[string]string{"endpoint": opt.Endpoint, "region": opt.Region}
	if !tls {
		public["tls"] = "false"
	}

	if !verify {
		public["tls-verify"] = "false"
	}

	if opt.Endpoint == "" {
		opt.Endpoint = "s3.amazonaws.com"
	}

	return Destination{
		kind:    "s3",
		display: "s3://" + bucket + "/" + opt.Prefix + publicQuery(public),
		newStorage: func(ctx context.Context, _ bool) (blob.Storage, error) {
			o := opt // kopia keeps the pointer; give it its own copy

			return s3.New(ctx, &o, false)
		},
	}, nil
}
