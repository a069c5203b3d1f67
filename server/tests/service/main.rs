//! Integration tests of the render service, through `app(state)` and one
//! real socket. They render on whatever GPU there is (lavapipe in CI) at
//! 32–96 px to stay fast.

mod access;
mod api;
mod common;
mod lifecycle;
mod personalize;
mod uploads;
