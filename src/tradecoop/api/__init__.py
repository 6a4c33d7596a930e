"""tradecoop.api"""
