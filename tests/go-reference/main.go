// The AWS SDK for Go v2 as a second reference for how the AWS files read: for each profile named
// on the command line, the region and the credentials that config.LoadDefaultConfig resolves
// (as any Go program using the SDK would), printed as one JSON object per line. The tests run it
// beside botocore and awsenv on generated homes against a loopback STS.
package main

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"time"

	"github.com/aws/aws-sdk-go-v2/config"
)

type result struct {
	Profile string `json:"profile"`
	Region  string `json:"region,omitempty"`
	Key     string `json:"key,omitempty"`
	Error   string `json:"error,omitempty"`
}

func resolve(name string) result {
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	out := result{Profile: name}
	cfg, err := config.LoadDefaultConfig(ctx, config.WithSharedConfigProfile(name))
	if err != nil {
		out.Error = err.Error()
		return out
	}
	out.Region = cfg.Region
	if cfg.Credentials == nil {
		out.Error = "no credentials provider"
		return out
	}
	creds, err := cfg.Credentials.Retrieve(ctx)
	if err != nil {
		out.Error = err.Error()
		return out
	}
	out.Key = creds.AccessKeyID
	return out
}

func main() {
	encoder := json.NewEncoder(os.Stdout)
	for _, name := range os.Args[1:] {
		if err := encoder.Encode(resolve(name)); err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(1)
		}
	}
}
