//! Pieces shared by several pages.

pub mod bar_chart;
pub mod form;
pub mod live;
pub mod resource;
pub mod shell;
