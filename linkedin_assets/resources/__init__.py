"""Resources: small interfaces over the browser, S3 and DynamoDB, configured per environment."""
