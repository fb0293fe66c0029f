resource "aws_kms_key" "data" {
  description         = "platform data"
  enable_key_rotation = true
}

resource "aws_db_instance" "orders" {
  identifier              = "orders"
  engine                  = "postgres"
  engine_version          = "16.3"
  instance_class          = "db.m6g.large"
  allocated_storage       = 100
  storage_encrypted       = true
  kms_key_id              = aws_kms_key.data.arn
  backup_retention_period = 14
  deletion_protection     = true
  multi_az                = true
  vpc_security_group_ids  = [aws_security_group.database.id]
  username                = "orders"
  manage_master_user_password = true
}

resource "aws_db_instance" "reporting" {
  identifier          = "reporting"
  engine              = "mysql"
  instance_class      = "db.t3.medium"
  allocated_storage   = 20
  publicly_accessible = true
  username            = "report"
  password            = "changeme-please"
  skip_final_snapshot = true
}

resource "aws_rds_cluster" "ledger" {
  cluster_identifier  = "ledger"
  engine              = "aurora-postgresql"
  master_username     = "ledger"
  manage_master_user_password = true
  storage_encrypted   = true
  deletion_protection = true
  backup_retention_period = 7
}

resource "aws_elasticache_replication_group" "sessions" {
  replication_group_id       = "sessions"
  description                = "web sessions"
  node_type                  = "cache.t4g.small"
  num_cache_clusters         = 2
  at_rest_encryption_enabled = true
}

resource "aws_dynamodb_table" "carts" {
  name         = "carts"
  billing_mode = "PAY_PER_REQUEST"
  hash_key     = "id"

  attribute {
    name = "id"
    type = "S"
  }
}

resource "aws_efs_file_system" "shared" {
  creation_token = "shared"
}

resource "aws_opensearch_domain" "search" {
  domain_name    = "search"
  engine_version = "OpenSearch_2.11"

  encrypt_at_rest {
    enabled = true
  }

  domain_endpoint_options {
    enforce_https       = true
    tls_security_policy = "Policy-Min-TLS-1-2-2019-07"
  }
}
