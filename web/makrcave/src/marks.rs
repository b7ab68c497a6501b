//! Where each of several things on a page stands, by key: bookings being cancelled, found
//! slots being booked. A reducer, so that answers arriving out of order each change only their
//! own entry.

use std::collections::HashMap;
use std::rc::Rc;

use yew::prelude::*;

/// The entries, shared with the components that show them.
#[derive(Debug, PartialEq)]
pub struct Marks<T>(pub Rc<HashMap<String, T>>);

impl<T> Default for Marks<T> {
    fn default() -> Self {
        Self(Rc::new(HashMap::new()))
    }
}

impl<T: Clone> Reducible for Marks<T> {
    /// An entry and where it stands now; `None` takes it out.
    type Action = (String, Option<T>);

    fn reduce(self: Rc<Self>, (key, state): Self::Action) -> Rc<Self> {
        let mut marks = (*self.0).clone();
        match state {
            Some(state) => marks.insert(key, state),
            None => marks.remove(&key),
        };
        Rc::new(Self(Rc::new(marks)))
    }
}
