//! The spec's constraints, checked on request values before anything is sent.

use crate::{Map, Uuid};
use std::fmt;

/// A request value that breaks a constraint of the spec.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ValidationError {
    /// Where the value sits, such as `body.reason`.
    pub path: String,
    pub message: String,
}

impl fmt::Display for ValidationError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "`{}` {}", self.path, self.message)
    }
}

impl std::error::Error for ValidationError {}

/// Joins a field onto a validation path.
pub fn join(path: &str, field: &str) -> String {
    format!("{path}.{field}")
}

/// A type whose values are checked against the spec's constraints before sending.
pub trait Validate {
    fn validate(&self, path: &str) -> Result<(), ValidationError>;
}

impl<T: Validate + ?Sized> Validate for &T {
    fn validate(&self, path: &str) -> Result<(), ValidationError> {
        (**self).validate(path)
    }
}

impl<T: Validate> Validate for Option<T> {
    fn validate(&self, path: &str) -> Result<(), ValidationError> {
        self.as_ref().map_or(Ok(()), |value| value.validate(path))
    }
}

impl<T: Validate> Validate for Box<T> {
    fn validate(&self, path: &str) -> Result<(), ValidationError> {
        (**self).validate(path)
    }
}

impl<T: Validate> Validate for Vec<T> {
    fn validate(&self, path: &str) -> Result<(), ValidationError> {
        self.iter()
            .enumerate()
            .try_for_each(|(index, item)| item.validate(&format!("{path}[{index}]")))
    }
}

impl<T: Validate> Validate for Map<T> {
    fn validate(&self, path: &str) -> Result<(), ValidationError> {
        self.iter()
            .try_for_each(|(key, item)| item.validate(&join(path, key)))
    }
}

/// The JSON Schema validation keywords of one value.
#[derive(Clone, Copy, Debug)]
pub struct Constraints {
    pub min_length: Option<usize>,
    pub max_length: Option<usize>,
    pub minimum: Option<f64>,
    pub exclusive_minimum: bool,
    pub maximum: Option<f64>,
    pub exclusive_maximum: bool,
    pub min_items: Option<usize>,
    pub max_items: Option<usize>,
}

impl Constraints {
    pub const NONE: Self = Self {
        min_length: None,
        max_length: None,
        minimum: None,
        exclusive_minimum: false,
        maximum: None,
        exclusive_maximum: false,
        min_items: None,
        max_items: None,
    };
}

/// A value that [`Constraints`] apply to.
pub trait Constrained {
    fn check(&self, constraints: &Constraints, path: &str) -> Result<(), ValidationError>;
}

fn invalid(path: &str, message: String) -> Result<(), ValidationError> {
    Err(ValidationError {
        path: path.to_owned(),
        message,
    })
}

impl<T: Constrained + ?Sized> Constrained for &T {
    fn check(&self, constraints: &Constraints, path: &str) -> Result<(), ValidationError> {
        (**self).check(constraints, path)
    }
}

impl Constrained for String {
    fn check(&self, constraints: &Constraints, path: &str) -> Result<(), ValidationError> {
        self.as_str().check(constraints, path)
    }
}

impl Constrained for Uuid {
    fn check(&self, constraints: &Constraints, path: &str) -> Result<(), ValidationError> {
        self.to_string().check(constraints, path)
    }
}

impl Constrained for str {
    fn check(&self, constraints: &Constraints, path: &str) -> Result<(), ValidationError> {
        let length = self.chars().count();
        if let Some(max) = constraints.max_length.filter(|max| length > *max) {
            return invalid(
                path,
                format!("must be at most {max} characters long (it is {length})"),
            );
        }
        if let Some(min) = constraints.min_length.filter(|min| length < *min) {
            return invalid(
                path,
                format!("must be at least {min} characters long (it is {length})"),
            );
        }
        Ok(())
    }
}

macro_rules! constrained_number {
    ($($number:ty),*) => {$(
        impl Constrained for $number {
            fn check(&self, constraints: &Constraints, path: &str) -> Result<(), ValidationError> {
                check_number(*self as f64, constraints, path)
            }
        }
    )*};
}

constrained_number!(i32, i64, f32, f64);

fn check_number(value: f64, constraints: &Constraints, path: &str) -> Result<(), ValidationError> {
    // NaN compares false with every bound, and JSON cannot carry it (it would go out as null).
    if value.is_nan() && (constraints.minimum.is_some() || constraints.maximum.is_some()) {
        return invalid(path, "must be a number (it is NaN)".to_owned());
    }
    if let Some(min) = constraints.minimum {
        if value < min || (constraints.exclusive_minimum && value == min) {
            let relation = if constraints.exclusive_minimum {
                "greater than"
            } else {
                "at least"
            };
            return invalid(path, format!("must be {relation} {min} (it is {value})"));
        }
    }
    if let Some(max) = constraints.maximum {
        if value > max || (constraints.exclusive_maximum && value == max) {
            let relation = if constraints.exclusive_maximum {
                "less than"
            } else {
                "at most"
            };
            return invalid(path, format!("must be {relation} {max} (it is {value})"));
        }
    }
    Ok(())
}

impl<T> Constrained for Vec<T> {
    fn check(&self, constraints: &Constraints, path: &str) -> Result<(), ValidationError> {
        self.as_slice().check(constraints, path)
    }
}

impl<T> Constrained for [T] {
    fn check(&self, constraints: &Constraints, path: &str) -> Result<(), ValidationError> {
        let count = self.len();
        if let Some(max) = constraints.max_items.filter(|max| count > *max) {
            return invalid(
                path,
                format!("must have at most {max} items (it has {count})"),
            );
        }
        if let Some(min) = constraints.min_items.filter(|min| count < *min) {
            return invalid(
                path,
                format!("must have at least {min} items (it has {count})"),
            );
        }
        Ok(())
    }
}

impl<T: Constrained> Constrained for Option<T> {
    fn check(&self, constraints: &Constraints, path: &str) -> Result<(), ValidationError> {
        self.as_ref()
            .map_or(Ok(()), |value| value.check(constraints, path))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const LENGTH: Constraints = Constraints {
        min_length: Some(2),
        max_length: Some(5),
        ..Constraints::NONE
    };

    const RANGE: Constraints = Constraints {
        minimum: Some(1.0),
        maximum: Some(10.0),
        ..Constraints::NONE
    };

    const EXCLUSIVE: Constraints = Constraints {
        minimum: Some(1.0),
        exclusive_minimum: true,
        maximum: Some(10.0),
        exclusive_maximum: true,
        ..Constraints::NONE
    };

    #[test]
    fn string_length_counts_characters_not_bytes() {
        assert!("héllo".check(&LENGTH, "name").is_ok());
        assert!("ab".check(&LENGTH, "name").is_ok());
        let err = "a".check(&LENGTH, "body.name").expect_err("too short");
        assert_eq!(err.path, "body.name");
        assert_eq!(
            err.to_string(),
            "`body.name` must be at least 2 characters long (it is 1)"
        );
        assert!(String::from("héllos").check(&LENGTH, "name").is_err());
    }

    #[test]
    fn inclusive_bounds_accept_their_limits() {
        for value in [1, 10] {
            assert!(value.check(&RANGE, "n").is_ok(), "{value}");
        }
        for value in [0, 11] {
            assert!(value.check(&RANGE, "n").is_err(), "{value}");
        }
        assert!(0.5f64.check(&RANGE, "n").is_err());
    }

    #[test]
    fn exclusive_bounds_refuse_their_limits() {
        for value in [1.0, 10.0] {
            let err = value.check(&EXCLUSIVE, "n").expect_err("a limit");
            assert!(err.message.contains("than"), "{}", err.message);
        }
        assert!(1.5f64.check(&EXCLUSIVE, "n").is_ok());
        assert!(9i64.check(&EXCLUSIVE, "n").is_ok());
    }

    #[test]
    fn nan_breaks_every_range() {
        assert!(f64::NAN.check(&RANGE, "n").is_err());
    }

    #[test]
    fn list_length_is_checked_in_items() {
        let items = Constraints {
            min_items: Some(1),
            max_items: Some(2),
            ..Constraints::NONE
        };
        assert!(vec![1].check(&items, "ids").is_ok());
        assert!(Vec::<i32>::new().check(&items, "ids").is_err());
        let err = vec![1, 2, 3].check(&items, "ids").expect_err("too many");
        assert_eq!(err.message, "must have at most 2 items (it has 3)");
    }

    #[test]
    fn an_absent_optional_value_passes() {
        assert!(None::<String>.check(&LENGTH, "name").is_ok());
        assert!(Some("a".to_owned()).check(&LENGTH, "name").is_err());
    }

    struct Positive(i32);

    impl Validate for Positive {
        fn validate(&self, path: &str) -> Result<(), ValidationError> {
            self.0.check(
                &Constraints {
                    minimum: Some(0.0),
                    exclusive_minimum: true,
                    ..Constraints::NONE
                },
                path,
            )
        }
    }

    #[test]
    fn validate_names_the_failing_item_and_key() {
        let list = vec![Positive(1), Positive(0)];
        assert_eq!(
            list.validate("body.items").expect_err("0").path,
            "body.items[1]"
        );
        let map: Map<Positive> = [("b".to_owned(), Positive(-1))].into_iter().collect();
        assert_eq!(map.validate("body").expect_err("-1").path, "body.b");
        assert!(Some(Positive(2)).validate("body").is_ok());
    }
}
