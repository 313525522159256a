//! Pieces shared by several pages.

pub mod bar_chart;
pub mod fetch;
pub mod form;
pub mod island;
pub mod live;
pub mod navigation;
pub mod query;
pub mod resource;
pub mod shell;
