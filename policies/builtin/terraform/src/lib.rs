//! Built-in pack `terraform`: AWS, Google Cloud and Azure resources
//! declared in Terraform that are public, unencrypted, unlogged or
//! over-privileged.
//!
//! Rules read `terraform` resources (`docs/kinds/terraform.md`):
//! `{block, type, name, config}`, nested blocks as arrays. A value written
//! `"${…}"` is unknown until Terraform runs: rules never guess it, so an
//! unknown value neither passes nor fails a check, except where leaving the
//! setting out is itself the problem. Cross-resource checks (an S3 bucket
//! and its encryption configuration) find each other across the files of a
//! module through the `referenced_by` list the inventory gives each block,
//! and by literal names within a file.
//! Fixtures live in `fixtures/<RULE-ID>/{positive,negative}.tf`.

mod aws;
mod azure;
mod common;
mod gcp;

use common::*;
use rampart_policy::{Context, Pack, Resource, Rule, Severity};

const CIS_AWS: &str = "CIS-AWS-Foundations-3.0";
const CIS_GCP: &str = "CIS-GCP-Foundations-2.0";
const CIS_AZURE: &str = "CIS-Azure-Foundations-2.1";
const KINDS: &[&str] = &["terraform"];

/// The pack, exported as the component's `rampart:policy/pack`.
pub static PACK: Pack = Pack {
    name: "terraform",
    version: env!("CARGO_PKG_VERSION"),
    description: "Terraform on AWS, Google Cloud and Azure: public exposure, encryption at rest \
                  and in transit, logging, least privilege and open admin ports.",
    rules: &[
        aws::TF_001,
        aws::TF_002,
        aws::TF_003,
        aws::TF_004,
        aws::TF_005,
        aws::TF_006,
        aws::TF_007,
        aws::TF_008,
        aws::TF_009,
        aws::TF_010,
        aws::TF_011,
        aws::TF_012,
        aws::TF_013,
        rampart_concerns::terraform_rule::<20>(),
        rampart_concerns::terraform_rule::<21>(),
        aws::TF_016,
        rampart_concerns::terraform_rule::<31>(),
        rampart_concerns::terraform_rule::<22>(),
        rampart_concerns::terraform_rule::<23>(),
        rampart_concerns::terraform_rule::<24>(),
        rampart_concerns::terraform_rule::<25>(),
        rampart_concerns::terraform_rule::<26>(),
        aws::TF_023,
        aws::TF_024,
        aws::TF_025,
        aws::TF_026,
        aws::TF_027,
        aws::TF_028,
        aws::TF_029,
        aws::TF_030,
        aws::TF_031,
        aws::TF_032,
        rampart_concerns::terraform_rule::<27>(),
        rampart_concerns::terraform_rule::<28>(),
        rampart_concerns::terraform_rule::<29>(),
        rampart_concerns::terraform_rule::<30>(),
        gcp::TF_037,
        gcp::TF_038,
        gcp::TF_039,
        gcp::TF_040,
        gcp::TF_041,
        gcp::TF_042,
        gcp::TF_043,
        gcp::TF_044,
        gcp::TF_045,
        gcp::TF_046,
        gcp::TF_047,
        gcp::TF_048,
        gcp::TF_049,
        gcp::TF_050,
        azure::TF_051,
        azure::TF_052,
        azure::TF_053,
        azure::TF_054,
        azure::TF_055,
        azure::TF_056,
        azure::TF_057,
        azure::TF_058,
        azure::TF_059,
        azure::TF_060,
        azure::TF_061,
        TF_062,
        aws::TF_063,
        aws::TF_064,
        gcp::TF_065,
        azure::TF_066,
        gcp::TF_067,
        gcp::TF_068,
        azure::TF_069,
        gcp::TF_070,
        gcp::TF_071,
        gcp::TF_072,
        // Concerns shared with the other AWS packs, as data.
        rampart_concerns::terraform_rule::<0>(),
        rampart_concerns::terraform_rule::<1>(),
        rampart_concerns::terraform_rule::<2>(),
        rampart_concerns::terraform_rule::<3>(),
        rampart_concerns::terraform_rule::<4>(),
        rampart_concerns::terraform_rule::<5>(),
        rampart_concerns::terraform_rule::<6>(),
        rampart_concerns::terraform_rule::<7>(),
        rampart_concerns::terraform_rule::<8>(),
        rampart_concerns::terraform_rule::<9>(),
        rampart_concerns::terraform_rule::<10>(),
        rampart_concerns::terraform_rule::<11>(),
        rampart_concerns::terraform_rule::<12>(),
        rampart_concerns::terraform_rule::<13>(),
        rampart_concerns::terraform_rule::<14>(),
        rampart_concerns::terraform_rule::<15>(),
        rampart_concerns::terraform_rule::<16>(),
        rampart_concerns::terraform_rule::<17>(),
        rampart_concerns::terraform_rule::<18>(),
        rampart_concerns::terraform_rule::<19>(),
        rampart_concerns::terraform_rule::<32>(),
        rampart_concerns::terraform_rule::<33>(),
        rampart_concerns::terraform_rule::<34>(),
        rampart_concerns::terraform_rule::<35>(),
        rampart_concerns::terraform_rule::<36>(),
        rampart_concerns::terraform_rule::<37>(),
        rampart_concerns::terraform_rule::<38>(),
        rampart_concerns::terraform_rule::<39>(),
        rampart_concerns::terraform_rule::<40>(),
        rampart_concerns::terraform_rule::<41>(),
        rampart_concerns::terraform_rule::<42>(),
        rampart_concerns::azure_terraform_rule::<0>(),
        rampart_concerns::azure_terraform_rule::<1>(),
        rampart_concerns::azure_terraform_rule::<2>(),
        rampart_concerns::azure_terraform_rule::<3>(),
        rampart_concerns::azure_terraform_rule::<4>(),
        rampart_concerns::azure_terraform_rule::<5>(),
        rampart_concerns::azure_terraform_rule::<6>(),
        rampart_concerns::azure_terraform_rule::<7>(),
        rampart_concerns::azure_terraform_rule::<8>(),
        rampart_concerns::azure_terraform_rule::<9>(),
        rampart_concerns::azure_terraform_rule::<10>(),
        rampart_concerns::azure_terraform_rule::<11>(),
        rampart_concerns::azure_terraform_rule::<12>(),
        rampart_concerns::azure_terraform_rule::<13>(),
        rampart_concerns::azure_terraform_rule::<14>(),
        rampart_concerns::azure_terraform_rule::<15>(),
        rampart_concerns::azure_terraform_rule::<16>(),
        rampart_concerns::azure_terraform_rule::<17>(),
        rampart_concerns::azure_terraform_rule::<18>(),
        rampart_concerns::azure_terraform_rule::<19>(),
        rampart_concerns::azure_terraform_rule::<20>(),
        rampart_concerns::google_terraform_rule::<0>(),
        rampart_concerns::google_terraform_rule::<1>(),
        rampart_concerns::google_terraform_rule::<2>(),
        rampart_concerns::google_terraform_rule::<3>(),
        rampart_concerns::google_terraform_rule::<4>(),
        rampart_concerns::google_terraform_rule::<5>(),
        rampart_concerns::google_terraform_rule::<6>(),
        rampart_concerns::google_terraform_rule::<7>(),
        rampart_concerns::google_terraform_rule::<8>(),
        rampart_concerns::google_terraform_rule::<9>(),
        rampart_concerns::google_terraform_rule::<10>(),
        rampart_concerns::google_terraform_rule::<11>(),
        rampart_concerns::google_terraform_rule::<12>(),
        rampart_concerns::google_terraform_rule::<13>(),
        rampart_concerns::google_terraform_rule::<14>(),
        rampart_concerns::google_terraform_rule::<15>(),
        rampart_concerns::google_terraform_rule::<16>(),
        rampart_concerns::google_terraform_rule::<17>(),
        rampart_concerns::google_terraform_rule::<18>(),
        rampart_concerns::google_terraform_rule::<19>(),
        rampart_concerns::google_terraform_rule::<20>(),
        rampart_concerns::terraform_rule::<43>(),
        rampart_concerns::terraform_rule::<44>(),
        rampart_concerns::terraform_rule::<45>(),
        rampart_concerns::terraform_rule::<46>(),
        rampart_concerns::terraform_rule::<47>(),
        rampart_concerns::terraform_rule::<48>(),
        rampart_concerns::terraform_rule::<49>(),
        rampart_concerns::terraform_rule::<50>(),
        rampart_concerns::terraform_rule::<51>(),
        rampart_concerns::terraform_rule::<52>(),
        rampart_concerns::terraform_rule::<53>(),
        rampart_concerns::terraform_rule::<54>(),
        rampart_concerns::terraform_rule::<55>(),
        rampart_concerns::terraform_rule::<56>(),
        rampart_concerns::terraform_rule::<57>(),
        rampart_concerns::terraform_rule::<58>(),
        rampart_concerns::terraform_rule::<59>(),
        rampart_concerns::terraform_rule::<60>(),
        rampart_concerns::terraform_rule::<61>(),
        rampart_concerns::terraform_rule::<62>(),
        rampart_concerns::terraform_rule::<63>(),
        rampart_concerns::terraform_rule::<64>(),
        rampart_concerns::terraform_rule::<65>(),
        rampart_concerns::terraform_rule::<66>(),
        rampart_concerns::terraform_rule::<67>(),
        rampart_concerns::terraform_rule::<68>(),
        rampart_concerns::terraform_rule::<69>(),
        rampart_concerns::terraform_rule::<70>(),
        rampart_concerns::terraform_rule::<71>(),
        rampart_concerns::terraform_rule::<72>(),
        rampart_concerns::terraform_rule::<73>(),
        rampart_concerns::terraform_rule::<74>(),
        rampart_concerns::terraform_rule::<75>(),
    ],
};

rampart_policy::export_pack!(PACK);

/// Provider arguments that hold credentials.
const PROVIDER_SECRETS: &[&str] = &[
    "access_key",
    "secret_key",
    "token",
    "client_secret",
    "client_certificate_password",
    "password",
    "credentials",
    "api_key",
];

pub(crate) const TF_062: Rule = Rule {
    id: "TF-062",
    title: "Credentials written in a provider block",
    description: "A provider sets `access_key`, `secret_key`, `token`, `client_secret`, `password` or `credentials` to a literal.",
    severity: Severity::High,
    help: "The credential is committed with the code and copied into every clone and CI log.",
    help_uri: None,
    remediation: "Use the provider's environment variables, a profile, workload identity or OIDC.",
    tags: &["secrets"],
    compliance: &[],
    kinds: KINDS,
    equivalents: &["checkov:CKV_AWS_41"],
    check: provider_credentials,
};

fn provider_credentials(resource: &Resource, cx: &mut Context<'_>) {
    if resource.root().get("block").as_str() != Some("provider") {
        return;
    }
    for key in PROVIDER_SECRETS {
        let value = config(resource).get(key);
        // `credentials = file("key.json")` is a path, not the secret.
        if let Some(text) = value.as_str()
            && !text.is_empty()
            && !text.contains("${")
        {
            cx.report(
                &value,
                format!("provider `{}` has a literal `{key}`", address(resource)),
            )
            .fix("take it from the environment or a credentials profile");
        }
    }
}
