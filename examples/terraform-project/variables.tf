variable "site_acl" {}

variable "admin_ports" {
  type    = list(number)
  default = [22, 3389]
}

variable "databases" {
  default = {}
}

variable "extra_actions" {
  type    = list(string)
  default = []
}
