//! AWS concerns that more than one platform checks — Terraform's `aws_*`
//! resources and CloudFormation's `AWS::*` types describe the same IAM
//! policies and security groups in two shapes. Each pack maps its
//! document onto these types; what makes a statement an administrator
//! grant or a rule open to the internet is decided here, once, so the two
//! packs cannot drift apart.

use serde_json::Value;

/// One statement of an IAM policy (identity, resource or trust policy).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Statement {
    /// `Effect: Allow` (a statement without an effect is no grant).
    pub allow: bool,
    /// `Action`, as written (`"*"`, `"s3:*"`, `"s3:GetObject"`).
    pub actions: Vec<String>,
    /// `Resource`, as written.
    pub resources: Vec<String>,
    /// The principal is anyone: `"*"`, `{"AWS": "*"}` or `{"AWS": ["*"]}`.
    pub anyone: bool,
    /// A `Condition` limits the grant.
    pub has_condition: bool,
}

impl Statement {
    /// A statement of a policy document in AWS's JSON form (what a
    /// CloudFormation template holds inline and a Terraform `policy`
    /// string holds as text).
    ///
    /// ```
    /// use rampart_policy::aws::Statement;
    /// let s = Statement::from_json(&serde_json::json!({
    ///     "Effect": "Allow", "Action": "*", "Resource": ["*"]
    /// }));
    /// assert!(s.grants_everything());
    /// assert!(!s.open_to_anyone());
    /// ```
    pub fn from_json(statement: &Value) -> Statement {
        let principal = statement.get("Principal");
        let anyone = principal.and_then(Value::as_str) == Some("*")
            || strings(principal.and_then(|p| p.get("AWS")))
                .iter()
                .any(|p| p == "*");
        Statement {
            allow: statement.get("Effect").and_then(Value::as_str) == Some("Allow"),
            actions: strings(statement.get("Action")),
            resources: strings(statement.get("Resource")),
            anyone,
            has_condition: statement.get("Condition").is_some(),
        }
    }

    /// Allows every action on every resource: an administrator.
    pub fn grants_everything(&self) -> bool {
        self.allow
            && self.actions.iter().any(|a| a == "*")
            && self.resources.iter().any(|r| r == "*")
    }

    /// The `service:*` actions it allows.
    pub fn service_wildcards(&self) -> impl Iterator<Item = &str> {
        self.actions
            .iter()
            .filter(move |_| self.allow)
            .map(String::as_str)
            .filter(|a| is_service_wildcard(a))
    }

    /// Allows anyone, without a condition to narrow it: a public bucket
    /// policy, a role any AWS account can assume.
    pub fn open_to_anyone(&self) -> bool {
        self.allow && self.anyone && !self.has_condition
    }
}

/// Whether an action is every action of one service (`s3:*`).
pub fn is_service_wildcard(action: &str) -> bool {
    action.len() > 2 && action.ends_with(":*")
}

/// The statements of a JSON policy document: `Statement` is one object or
/// a list of them.
pub fn statements(document: &Value) -> Vec<Statement> {
    match document.get("Statement") {
        Some(Value::Array(items)) => items.iter().map(Statement::from_json).collect(),
        Some(single) => vec![Statement::from_json(single)],
        None => Vec::new(),
    }
}

/// A string or a list of strings, as IAM writes either.
fn strings(value: Option<&Value>) -> Vec<String> {
    match value {
        Some(Value::String(s)) => vec![s.clone()],
        Some(Value::Array(items)) => items
            .iter()
            .filter_map(|v| v.as_str().map(str::to_owned))
            .collect(),
        _ => Vec::new(),
    }
}

/// Ports whose exposure to the internet is reported, with their service.
pub const ADMIN_PORTS: [(i64, &str); 2] = [(22, "SSH"), (3389, "RDP")];

/// Whether a CIDR block is the whole internet.
///
/// ```
/// assert!(rampart_policy::aws::is_world("0.0.0.0/0"));
/// assert!(rampart_policy::aws::is_world("::/0"));
/// assert!(!rampart_policy::aws::is_world("10.0.0.0/8"));
/// ```
pub fn is_world(cidr: &str) -> bool {
    cidr == "0.0.0.0/0" || cidr == "::/0"
}

/// An ingress rule of a security group, as AWS sees it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Ingress {
    /// The IP protocol: `tcp`, `udp`, a number, `-1` or `all` for every
    /// protocol.
    pub protocol: String,
    /// The port range, when it is known (`None`: not a literal, so not
    /// judged by its ports).
    pub ports: Option<(i64, i64)>,
}

impl Ingress {
    /// Every protocol, or every port.
    ///
    /// ```
    /// use rampart_policy::aws::Ingress;
    /// let all = Ingress { protocol: "-1".into(), ports: None };
    /// assert!(all.all_traffic());
    /// let ssh = Ingress { protocol: "tcp".into(), ports: Some((22, 22)) };
    /// assert!(!ssh.all_traffic());
    /// assert_eq!(ssh.admin_ports().collect::<Vec<_>>(), [(22, "SSH")]);
    /// ```
    pub fn all_traffic(&self) -> bool {
        matches!(self.protocol.as_str(), "-1" | "all")
            || self
                .ports
                .is_some_and(|(from, to)| from <= 0 && to >= 65535)
    }

    /// The [`ADMIN_PORTS`] its port range opens.
    pub fn admin_ports(&self) -> impl Iterator<Item = (i64, &'static str)> {
        let ports = self.ports;
        ADMIN_PORTS
            .into_iter()
            .filter(move |(port, _)| ports.is_some_and(|(from, to)| from <= *port && *port <= to))
    }
}
