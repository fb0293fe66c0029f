//! Built-in pack `cloudformation`: AWS resources declared in CloudFormation
//! and SAM templates that are public, unencrypted, unlogged or over-privileged.
//!
//! Rules read `cloudformation` resources (`docs/kinds/cloudformation.md`):
//! one entry of `Resources` each (`Type`, `Properties` …), with intrinsic
//! functions in long form. A value given by a function (`{"Ref": …}`) is
//! unknown to a rule: rules never guess it, so they neither pass nor flag
//! on it unless the property's absence is itself the problem. Fixtures live
//! in `fixtures/<RULE-ID>/{positive,negative}.yaml`.

mod rules;

use rampart_policy::Pack;

const CIS_AWS: &str = "CIS-AWS-Foundations-3.0";
const KINDS: &[&str] = &["cloudformation"];

/// The pack, exported as the component's `rampart:policy/pack`.
pub static PACK: Pack = Pack {
    name: "cloudformation",
    version: env!("CARGO_PKG_VERSION"),
    description: "AWS CloudFormation and SAM: public exposure, encryption at rest and in transit, \
                  logging and least privilege for S3, IAM, EC2, RDS, KMS, CloudTrail, EKS, Lambda \
                  and friends.",
    rules: &[
        rules::CFN_001,
        rules::CFN_002,
        rules::CFN_003,
        rules::CFN_004,
        rules::CFN_005,
        rules::CFN_006,
        rules::CFN_007,
        rules::CFN_008,
        rules::CFN_009,
        rules::CFN_010,
        rules::CFN_011,
        rules::CFN_012,
        rampart_concerns::cloudformation_rule::<20>(),
        rampart_concerns::cloudformation_rule::<21>(),
        rules::CFN_015,
        rampart_concerns::cloudformation_rule::<22>(),
        rampart_concerns::cloudformation_rule::<23>(),
        rampart_concerns::cloudformation_rule::<24>(),
        rampart_concerns::cloudformation_rule::<25>(),
        rules::CFN_020,
        rules::CFN_021,
        rules::CFN_022,
        rules::CFN_023,
        rules::CFN_024,
        rules::CFN_025,
        rampart_concerns::cloudformation_rule::<27>(),
        rampart_concerns::cloudformation_rule::<28>(),
        rampart_concerns::cloudformation_rule::<29>(),
        rampart_concerns::cloudformation_rule::<30>(),
        rules::CFN_030,
        // Concerns shared with the other AWS packs, as data.
        rampart_concerns::cloudformation_rule::<0>(),
        rampart_concerns::cloudformation_rule::<1>(),
        rampart_concerns::cloudformation_rule::<2>(),
        rampart_concerns::cloudformation_rule::<3>(),
        rampart_concerns::cloudformation_rule::<4>(),
        rampart_concerns::cloudformation_rule::<5>(),
        rampart_concerns::cloudformation_rule::<6>(),
        rampart_concerns::cloudformation_rule::<7>(),
        rampart_concerns::cloudformation_rule::<8>(),
        rampart_concerns::cloudformation_rule::<9>(),
        rampart_concerns::cloudformation_rule::<10>(),
        rampart_concerns::cloudformation_rule::<11>(),
        rampart_concerns::cloudformation_rule::<12>(),
        rampart_concerns::cloudformation_rule::<13>(),
        rampart_concerns::cloudformation_rule::<14>(),
        rampart_concerns::cloudformation_rule::<15>(),
        rampart_concerns::cloudformation_rule::<16>(),
        rampart_concerns::cloudformation_rule::<17>(),
        rampart_concerns::cloudformation_rule::<18>(),
        rampart_concerns::cloudformation_rule::<19>(),
        rampart_concerns::cloudformation_rule::<31>(),
        rampart_concerns::cloudformation_rule::<32>(),
        rampart_concerns::cloudformation_rule::<33>(),
        rampart_concerns::cloudformation_rule::<34>(),
        rampart_concerns::cloudformation_rule::<38>(),
        rampart_concerns::cloudformation_rule::<39>(),
        rampart_concerns::cloudformation_rule::<40>(),
        rampart_concerns::cloudformation_rule::<41>(),
        rampart_concerns::cloudformation_rule::<42>(),
        rampart_concerns::cloudformation_rule::<43>(),
        rampart_concerns::cloudformation_rule::<44>(),
        rampart_concerns::cloudformation_rule::<45>(),
        rampart_concerns::cloudformation_rule::<46>(),
        rampart_concerns::cloudformation_rule::<47>(),
        rampart_concerns::cloudformation_rule::<48>(),
        rampart_concerns::cloudformation_rule::<49>(),
        rampart_concerns::cloudformation_rule::<50>(),
        rampart_concerns::cloudformation_rule::<51>(),
        rampart_concerns::cloudformation_rule::<52>(),
        rampart_concerns::cloudformation_rule::<53>(),
        rampart_concerns::cloudformation_rule::<54>(),
        rampart_concerns::cloudformation_rule::<55>(),
        rampart_concerns::cloudformation_rule::<56>(),
        rampart_concerns::cloudformation_rule::<58>(),
        rampart_concerns::cloudformation_rule::<59>(),
        rampart_concerns::cloudformation_rule::<60>(),
        rampart_concerns::cloudformation_rule::<61>(),
        rampart_concerns::cloudformation_rule::<62>(),
        rampart_concerns::cloudformation_rule::<63>(),
        rampart_concerns::cloudformation_rule::<64>(),
        rampart_concerns::cloudformation_rule::<65>(),
        rampart_concerns::cloudformation_rule::<66>(),
        rampart_concerns::cloudformation_rule::<67>(),
        rampart_concerns::cloudformation_rule::<68>(),
        rampart_concerns::cloudformation_rule::<69>(),
        rampart_concerns::cloudformation_rule::<70>(),
        rampart_concerns::cloudformation_rule::<71>(),
    ],
};

rampart_policy::export_pack!(PACK);
