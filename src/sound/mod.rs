//! The sources of sound a program plays, beside the on-air engine and
//! below the player that opens them: recordings from the audio folder
//! ([`audio`]), text spoken by an offline engine ([`speech`]) and live
//! programmes relayed from a stream or the line input ([`relay`]).

pub mod audio;
pub mod relay;
pub mod speech;
